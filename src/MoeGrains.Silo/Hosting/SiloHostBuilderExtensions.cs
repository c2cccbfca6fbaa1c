using Microsoft.Extensions.Configuration;
using MoeGrains.Grains.Hosting;
using MoeGrains.Silo.Observability;
using MoeGrains.Security;

namespace MoeGrains.Silo.Hosting;

/// <summary>The whole silo host setup: clustering and ports, the shared MoeGrains silo setup, then telemetry and the dashboard.</summary>
public static class SiloHostBuilderExtensions
{
    /// <summary>
    /// <see cref="ClusteringSiloBuilderExtensions.UseMoeGrainsClustering"/> followed by
    /// <see cref="MoeGrainsSiloBuilderExtensions.UseMoeGrains"/>, both from <paramref name="configuration"/>, then observability
    /// (<see cref="ObservabilitySiloBuilderExtensions.UseMoeGrainsObservability"/>), TLS
    /// (<c>MoeGrains:Tls</c>), Kubernetes hosting (<c>MoeGrains:Silo:KubernetesHosting</c>) and the health endpoint and drain
    /// (<c>MoeGrains:Health</c>, <c>MoeGrains:Shutdown</c>).
    /// </summary>
    public static ISiloBuilder UseMoeGrainsSilo(this ISiloBuilder builder, IConfiguration configuration) =>
        builder.UseMoeGrainsClustering(configuration).UseMoeGrains(configuration)
            .UseMoeGrainsTls(configuration)
            .UseMoeGrainsKubernetes(configuration)
            .AddMoeGrainsOperations(configuration)
            .UseMoeGrainsObservability(configuration);
}
