using Microsoft.Extensions.Configuration;
using MoeGrains.Grains.Hosting;
using MoeGrains.Silo.Observability;

namespace MoeGrains.Silo.Hosting;

/// <summary>The whole silo host setup: clustering and ports, the shared MoeGrains silo setup, then telemetry and the dashboard.</summary>
public static class SiloHostBuilderExtensions
{
    /// <summary>
    /// <see cref="ClusteringSiloBuilderExtensions.UseMoeGrainsClustering"/> followed by
    /// <see cref="MoeGrainsSiloBuilderExtensions.UseMoeGrains"/> and
    /// <see cref="ObservabilitySiloBuilderExtensions.UseMoeGrainsObservability"/>, all from <paramref name="configuration"/>.
    /// </summary>
    public static ISiloBuilder UseMoeGrainsSilo(this ISiloBuilder builder, IConfiguration configuration) =>
        builder.UseMoeGrainsClustering(configuration).UseMoeGrains(configuration).UseMoeGrainsObservability(configuration);
}
