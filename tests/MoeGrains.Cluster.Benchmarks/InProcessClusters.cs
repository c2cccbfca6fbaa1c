using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MoeGrains.Grains.Hosting;
using MoeGrains.Grains.Placement;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;

namespace MoeGrains.Cluster.Benchmarks;

/// <summary>In-process clusters whose silos each get their own <c>MoeGrains:*</c> configuration (as the cluster tests build them).</summary>
internal static class InProcessClusters
{
    /// <summary>Starts one silo per entry (Silo_0, Silo_1, …) and waits until every silo knows every silo's metadata.</summary>
    public static async Task<InProcessTestCluster> StartAsync(params Dictionary<string, string?>[] siloConfigurations)
    {
        var builder = new InProcessTestClusterBuilder((short)siloConfigurations.Length);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((silo, host) =>
        {
            var index = int.Parse(silo.SiloName["Silo_".Length..]);
            host.Configuration.AddInMemoryCollection(siloConfigurations[index]);
            host.UseOrleans(orleans => orleans.UseMoeGrains(host.Configuration));
        });
        // A loaded machine can take longer than Orleans' default 30 s to create a small model's checkpoint.
        builder.ConfigureClient(client => client.Configure<ClientMessagingOptions>(m => m.ResponseTimeout = TimeSpan.FromMinutes(5)));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        var addresses = cluster.Silos.Select(s => s.SiloAddress).ToList();
        var clock = Stopwatch.StartNew();
        while (!cluster.Silos.All(silo => addresses.All(a =>
                   silo.SiloHost.Services.GetRequiredService<ISiloMetadataCache>().GetSiloMetadata(a).Metadata.ContainsKey(SiloMetadataKeys.ExpertSlots))))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("Silo metadata did not reach every silo within 30 s.");
            await Task.Delay(50);
        }
        return cluster;
    }

    /// <summary>A silo's accelerator settings and the shared local checkpoint store.</summary>
    public static Dictionary<string, string?> Silo(int expertSlots, string storeRoot) => new()
    {
        ["MoeGrains:Accelerator:Accelerator"] = "cpu",
        ["MoeGrains:Accelerator:Devices"] = "1",
        ["MoeGrains:Accelerator:ExpertSlots"] = expertSlots.ToString(),
        ["MoeGrains:Checkpoints:Kind"] = "Local",
        ["MoeGrains:Checkpoints:LocalRoot"] = storeRoot,
    };
}
