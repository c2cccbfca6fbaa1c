using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MoeGrains.Grains.Hosting;
using MoeGrains.Grains.Persistence;
using MoeGrains.Grains.Placement;
using MoeGrains.Silo.Hosting;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Storage;

namespace MoeGrains.Cluster.Tests.Hosting;

/// <summary>The silo host reads every documented key (built, not started: nothing connects).</summary>
public sealed class SiloConfigurationTests
{
    private static readonly Dictionary<string, string?> EveryKey = new()
    {
        ["Orleans:ClusterId"] = "test-cluster",
        ["Orleans:ServiceId"] = "test-service",
        ["Orleans:Metadata:zone"] = "rack-7",
        ["MoeGrains:Silo:Clustering"] = "Redis",
        ["MoeGrains:Silo:ConnectionString"] = "localhost:6390",
        ["MoeGrains:Silo:AdoNetInvariant"] = "Npgsql",
        ["MoeGrains:Silo:SiloPort"] = "12111",
        ["MoeGrains:Silo:GatewayPort"] = "31000",
        ["MoeGrains:Silo:AdvertisedIPAddress"] = "127.0.0.2",
        ["MoeGrains:Accelerator:Accelerator"] = "cpu",
        ["MoeGrains:Accelerator:Devices"] = "3",
        ["MoeGrains:Accelerator:ExpertSlots"] = "12",
        ["MoeGrains:Storage:Provider"] = "Files",
        ["MoeGrains:Storage:Folder"] = "state-here",
        ["MoeGrains:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
        ["MoeGrains:Storage:ContainerName"] = "experts",
        ["MoeGrains:Timeouts:ActivationTimeout"] = "00:03:00",
        ["MoeGrains:Timeouts:ResponseTimeout"] = "00:07:00",
        ["MoeGrains:Timeouts:ReadCallTimeout"] = "00:00:40",
        ["MoeGrains:Timeouts:ReadCallAttempts"] = "4",
    };

    [Fact]
    public void Every_documented_key_is_bound()
    {
        var (host, services) = Build(EveryKey);
        using var _ = host;
        var provider = host.Services;

        var silo = provider.GetRequiredService<IOptions<MoeGrainsSiloOptions>>().Value;
        Assert.Equal(ClusteringKind.Redis, silo.Clustering);
        Assert.Equal("localhost:6390", silo.ConnectionString);
        Assert.Equal("Npgsql", silo.AdoNetInvariant);
        Assert.Equal((12111, 31000), (silo.SiloPort, silo.GatewayPort));
        Assert.Equal("127.0.0.2", silo.AdvertisedIPAddress);
        Assert.Contains(services, d => d.ServiceType.Name == "RedisMembershipTable");

        var cluster = provider.GetRequiredService<IOptions<ClusterOptions>>().Value;
        Assert.Equal(("test-cluster", "test-service"), (cluster.ClusterId, cluster.ServiceId));
        var endpoints = provider.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal((12111, 31000, "127.0.0.2"), (endpoints.SiloPort, endpoints.GatewayPort, endpoints.AdvertisedIPAddress?.ToString()));

        var accelerator = provider.GetRequiredService<IOptions<AcceleratorOptions>>().Value;
        Assert.Equal((AcceleratorKind.Cpu, 3, 12), (accelerator.Accelerator, accelerator.Devices, accelerator.ExpertSlots));
        var metadata = provider.GetRequiredService<IOptions<SiloMetadata>>().Value.Metadata;
        Assert.Equal("cpu", metadata[SiloMetadataKeys.Accelerator]);
        Assert.Equal("3", metadata[SiloMetadataKeys.Devices]);
        Assert.Equal("12", metadata[SiloMetadataKeys.ExpertSlots]);
        Assert.Equal("rack-7", metadata["zone"]);

        var storage = provider.GetRequiredService<IOptions<MoeGrainsStorageOptions>>().Value;
        Assert.Equal((GrainStorageKind.Files, "state-here", "UseDevelopmentStorage=true", "experts"),
            (storage.Provider, storage.Folder, storage.ConnectionString, storage.ContainerName));
        Assert.IsType<JsonFileGrainStorage>(provider.GetRequiredKeyedService<IGrainStorage>(MoeGrainsStorageOptions.ProviderName));

        Assert.Equal(TimeSpan.FromMinutes(3), provider.GetRequiredService<IOptions<GrainCollectionOptions>>().Value.ActivationTimeout);
        Assert.Equal(TimeSpan.FromMinutes(7), provider.GetRequiredService<IOptions<SiloMessagingOptions>>().Value.ResponseTimeout);
        var timeouts = provider.GetRequiredService<IOptions<MoeGrainsTimeoutOptions>>().Value;
        Assert.Equal((TimeSpan.FromSeconds(40), 4), (timeouts.ReadCallTimeout, timeouts.ReadCallAttempts));
    }

    [Fact]
    public void Defaults_make_a_localhost_cpu_silo_with_memory_storage()
    {
        var (host, _) = Build([]);
        using var _ = host;
        var provider = host.Services;

        var silo = provider.GetRequiredService<IOptions<MoeGrainsSiloOptions>>().Value;
        Assert.Equal((ClusteringKind.Localhost, 11111, 30000), (silo.Clustering, silo.SiloPort, silo.GatewayPort));
        var cluster = provider.GetRequiredService<IOptions<ClusterOptions>>().Value;
        Assert.Equal(("moegrains", "moegrains"), (cluster.ClusterId, cluster.ServiceId));
        var accelerator = provider.GetRequiredService<IOptions<AcceleratorOptions>>().Value;
        Assert.Equal((AcceleratorKind.Cpu, 1, AcceleratorOptions.DefaultExpertSlots), (accelerator.Accelerator, accelerator.Devices, accelerator.ExpertSlots));
        Assert.Equal(GrainStorageKind.Memory, provider.GetRequiredService<IOptions<MoeGrainsStorageOptions>>().Value.Provider);
        Assert.Equal(TimeSpan.FromMinutes(2), provider.GetRequiredService<IOptions<GrainCollectionOptions>>().Value.ActivationTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), provider.GetRequiredService<IOptions<SiloMessagingOptions>>().Value.ResponseTimeout);
    }

    [Fact]
    public void Clustering_without_a_connection_string_is_refused_naming_the_setting()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Build(new() { ["MoeGrains:Silo:Clustering"] = "AdoNet" }));

        Assert.Contains("MoeGrains:Silo:Clustering=AdoNet needs MoeGrains:Silo:ConnectionString", failure.Message);
    }

    [Fact]
    public void A_read_call_sent_no_times_is_refused_naming_the_setting()
    {
        var (host, _) = Build(new() { ["MoeGrains:Timeouts:ReadCallAttempts"] = "0" });
        using var _ = host;

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<MoeGrainsTimeoutOptions>>().Value);

        Assert.Contains("MoeGrains:Timeouts:ReadCallAttempts must be at least 1", failure.Message);
    }

    private static (IHost Host, IServiceCollection Services) Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.UseOrleans(silo => silo.UseMoeGrainsSilo(builder.Configuration));
        return (builder.Build(), builder.Services);
    }
}
