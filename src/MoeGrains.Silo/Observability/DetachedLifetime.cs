using Microsoft.Extensions.Hosting;

namespace MoeGrains.Silo.Observability;

/// <summary>The lifetime of a web host started and stopped by another host: it listens to no console signal of its own.</summary>
internal sealed class DetachedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
