using System.Runtime.CompilerServices;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;

namespace MoeGrains.Client;

/// <summary>A training run started in the cluster: poll its progress, wait for it, or cancel it.</summary>
public sealed class TrainingHandle
{
    private readonly IRouterGrain router;

    internal TrainingHandle(IRouterGrain router) => this.router = router;

    /// <summary>The run's current status.</summary>
    public Task<TrainingStatus> GetStatusAsync() => router.GetTrainingStatusAsync();

    /// <summary>Asks the run to stop after the step in progress.</summary>
    public Task CancelAsync() => router.CancelTrainingAsync();

    /// <summary>Yields a status every <paramref name="interval"/> until the run ends (the last one is final).</summary>
    public async IAsyncEnumerable<TrainingStatus> WatchAsync(TimeSpan? interval = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var delay = interval ?? TimeSpan.FromMilliseconds(250);
        while (true)
        {
            var status = await router.GetTrainingStatusAsync();
            yield return status;
            if (status.State is not TrainingState.Running) yield break;
            await Task.Delay(delay, cancellationToken);
        }
    }

    /// <summary>Waits for the run to end; throws <see cref="InvalidOperationException"/> with the run's error if it failed.</summary>
    public async Task<TrainingStatus> WaitAsync(CancellationToken cancellationToken = default)
    {
        TrainingStatus? last = null;
        await foreach (var status in WatchAsync(cancellationToken: cancellationToken)) last = status;
        if (last!.State == TrainingState.Failed) throw new InvalidOperationException($"Training failed: {last.Error}");
        return last;
    }
}
