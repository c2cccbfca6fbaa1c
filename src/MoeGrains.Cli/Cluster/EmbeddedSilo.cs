using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MoeGrains.Grains.Hosting;

namespace MoeGrains.Cli.Cluster;

/// <summary>
/// One Orleans silo in this process (Generic Host + <c>UseOrleans</c>, localhost clustering on free loopback ports,
/// <c>UseMoeGrains</c>) with expert slots, JSON-file grain state and a local-folder checkpoint store, so the verbs run
/// through the grains without a cluster.
/// </summary>
internal static class EmbeddedSilo
{
    /// <summary>Grain state lives in this sub-folder of the store, so models survive from one command to the next.</summary>
    public const string GrainStateFolder = "grain-state";

    /// <summary>Set while the embedded silo shuts down: its logs are then silenced.</summary>
    public static volatile bool Stopping;

    public static async Task<IHost> StartAsync(string storeFolder, string accelerator, LogLevel logLevel, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(storeFolder);
        var ports = FreePorts.Take(2);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MoeGrains:Accelerator:Accelerator"] = accelerator,
            ["MoeGrains:Accelerator:Devices"] = "1",
            ["MoeGrains:Accelerator:ExpertSlots"] = "1024",
            ["MoeGrains:Storage:Provider"] = "Files",
            ["MoeGrains:Storage:Folder"] = Path.Combine(storeFolder, GrainStateFolder),
            [$"{MoeGrainsSiloBuilderExtensions.CheckpointsSection}:Kind"] = "Local",
            [$"{MoeGrainsSiloBuilderExtensions.CheckpointsSection}:LocalRoot"] = storeFolder,
        });
        builder.Logging.ClearProviders();
        CliLogging.Configure(builder.Logging, logLevel);
        // Category rules do not compose (the most specific one wins), so each carries the shutdown gate: while the silo
        // stops, deactivating experts cannot reach grains that are already gone, which is expected here.
        builder.Logging.AddFilter("MoeGrains", level => !Stopping && level >= LogLevel.Warning); // per-checkpoint lines would tear the progress bar
        builder.Logging.AddFilter("Orleans", level => !Stopping && level >= LogLevel.Warning);
        builder.Logging.AddFilter("Orleans.Runtime.Silo", level => !Stopping && level >= LogLevel.Error); // ServerGC advice is for servers
        builder.Logging.AddFilter("Polly", level => !Stopping && level >= LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", level => !Stopping && level >= LogLevel.Warning);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(ports[0], ports[1], serviceId: "moegrains-embedded", clusterId: "moegrains-embedded")
            .UseMoeGrains(builder.Configuration)
            .AddActivityPropagation());
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }
}
