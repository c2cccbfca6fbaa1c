using Microsoft.Extensions.Configuration;
using MoeGrains.Grains.Hosting;

namespace MoeGrains.Silo.Hosting;

/// <summary>The whole silo host setup: clustering and ports, then the shared MoeGrains silo setup.</summary>
public static class SiloHostBuilderExtensions
{
    /// <summary>
    /// <see cref="ClusteringSiloBuilderExtensions.UseMoeGrainsClustering"/> followed by
    /// <see cref="MoeGrainsSiloBuilderExtensions.UseMoeGrains"/>, both from <paramref name="configuration"/>.
    /// </summary>
    public static ISiloBuilder UseMoeGrainsSilo(this ISiloBuilder builder, IConfiguration configuration) =>
        builder.UseMoeGrainsClustering(configuration).UseMoeGrains(configuration);
}
