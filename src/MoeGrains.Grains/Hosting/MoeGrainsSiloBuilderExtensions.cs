using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MoeGrains.Storage.Hosting;
using Orleans.Configuration;

namespace MoeGrains.Grains.Hosting;

/// <summary>
/// The MoeGrains silo setup shared by the silo host, test clusters and the CLI's embedded silo. Clustering and
/// endpoints are not part of it: each host brings its own.
/// </summary>
public static class MoeGrainsSiloBuilderExtensions
{
    /// <summary>
    /// Adds accelerator placement (<see cref="PlacementSiloBuilderExtensions.AddMoeGrainsPlacement"/>), the <c>moe</c>
    /// grain storage (<see cref="StorageSiloBuilderExtensions.AddMoeGrainsStorage"/>) and the training timeouts of
    /// <see cref="MoeGrainsTimeoutOptions"/>, silo drain (<see cref="ClusterOperationsSiloBuilderExtensions.AddMoeGrainsClusterOperations"/>) and the checkpoint store (section <see cref="CheckpointsSection"/>), all read from <paramref name="configuration"/>.
    /// </summary>
    public static ISiloBuilder UseMoeGrains(this ISiloBuilder builder, IConfiguration configuration)
    {
        builder.AddMoeGrainsPlacement(configuration);
        builder.AddMoeGrainsStorage(configuration);
        builder.AddMoeGrainsTimeouts(configuration);
        builder.AddMoeGrainsReminders(configuration);
        builder.AddMoeGrainsPipelines(configuration);
        builder.AddMoeGrainsDomainExperts(configuration);
        builder.AddMoeGrainsRequestLimits(configuration);
        builder.AddMoeGrainsClusterOperations(configuration);
        builder.Services.AddCheckpointStore(configuration.GetSection(CheckpointsSection));
        return builder;
    }

    /// <summary>The configuration section of the checkpoint store (<c>Kind</c> Local | AzureBlob, <c>LocalRoot</c>, <c>ConnectionString</c>, …).</summary>
    public const string CheckpointsSection = "MoeGrains:Checkpoints";

    /// <summary>Binds <see cref="MoeGrainsTimeoutOptions"/> and applies them to Orleans' activation and response timeouts.</summary>
    public static ISiloBuilder AddMoeGrainsTimeouts(this ISiloBuilder builder, IConfiguration configuration)
    {
        var services = builder.Services;
        services.AddOptions<MoeGrainsTimeoutOptions>()
            .Bind(configuration.GetSection(MoeGrainsTimeoutOptions.SectionName))
            .Validate(t => t.ActivationTimeout > TimeSpan.Zero && t.ResponseTimeout > TimeSpan.Zero && t.ReadCallTimeout > TimeSpan.Zero,
                $"{MoeGrainsTimeoutOptions.SectionName}:ActivationTimeout, ResponseTimeout and ReadCallTimeout must be positive.")
            .Validate(t => t.ReadCallAttempts >= 1, $"{MoeGrainsTimeoutOptions.SectionName}:ReadCallAttempts must be at least 1.")
            .ValidateOnStart();
        services.AddOptions<GrainCollectionOptions>()
            .Configure<IOptions<MoeGrainsTimeoutOptions>>((collection, timeouts) => collection.ActivationTimeout = timeouts.Value.ActivationTimeout);
        services.AddOptions<SiloMessagingOptions>()
            .Configure<IOptions<MoeGrainsTimeoutOptions>>((messaging, timeouts) => messaging.ResponseTimeout = timeouts.Value.ResponseTimeout);
        return builder;
    }
}
