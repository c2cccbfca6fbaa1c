using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MoeGrains.Grains.Placement;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace MoeGrains.Grains.Hosting;

/// <summary>Registers accelerator silos: options, CUDA probe, device allocator, silo metadata and expert placement.</summary>
public static class PlacementSiloBuilderExtensions
{
    /// <summary>
    /// Binds <see cref="AcceleratorOptions"/> from <c>MoeGrains:Accelerator</c> (validated when the silo starts), publishes
    /// them as silo metadata (<c>moe.accelerator</c>, <c>moe.devices</c>, <c>moe.expert-slots</c>, plus any pairs under
    /// <c>Orleans:Metadata</c>) and registers <see cref="ExpertSlotsFilterAttribute"/>,
    /// <see cref="LeastLoadedDevicePlacementAttribute"/> and the silo's <see cref="DeviceAllocator"/>.
    /// </summary>
    /// <remarks>
    /// Calls <c>UseSiloMetadata</c>: do not call it again on the same silo. The metadata is read from
    /// <paramref name="configuration"/> now, while the silo is built; the <c>moe.*</c> keys always come from
    /// <c>MoeGrains:Accelerator</c> and win over the same keys under <c>Orleans:Metadata</c>.
    /// Register another <see cref="IAcceleratorProbe"/> before this call to replace the TorchSharp one.
    /// </remarks>
    public static ISiloBuilder AddMoeGrainsPlacement(this ISiloBuilder builder, IConfiguration configuration)
    {
        var section = configuration.GetSection(AcceleratorOptions.SectionName);
        var accelerator = section.Get<AcceleratorOptions>() ?? new AcceleratorOptions();

        var services = builder.Services;
        services.AddOptions<AcceleratorOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AcceleratorOptions>, AcceleratorOptionsValidator>();
        services.TryAddSingleton<IAcceleratorProbe, TorchAcceleratorProbe>();
        services.AddSingleton<DeviceAllocator>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => provider.GetRequiredService<DeviceAllocator>());

        builder.UseSiloMetadata(PublishedMetadata(configuration, accelerator));
        services.AddPlacementFilter<ExpertSlotsFilterStrategy, ExpertSlotsFilterDirector>(ServiceLifetime.Transient);
        builder.AddPlacementDirector<LeastLoadedDevicePlacement, LeastLoadedDevicePlacementDirector>();
        return builder;
    }

    private static Dictionary<string, string> PublishedMetadata(IConfiguration configuration, AcceleratorOptions accelerator)
    {
        var metadata = configuration.GetSection("Orleans:Metadata").Get<Dictionary<string, string>>() ?? [];
        foreach (var (key, value) in SiloOffer.From(accelerator).ToMetadata())
            metadata[key] = value;
        return metadata;
    }
}
