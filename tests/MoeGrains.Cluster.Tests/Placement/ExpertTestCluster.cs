using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MoeGrains.Grains.Hosting;
using MoeGrains.Grains.Placement;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;

namespace MoeGrains.Cluster.Tests.Placement;

/// <summary>Builds in-process clusters whose silos each get their own <c>MoeGrains:*</c> configuration.</summary>
public static class ExpertTestCluster
{
    /// <summary>Starts one silo per entry (named Silo_0, Silo_1, …) and waits until every silo knows every silo's metadata.</summary>
    public static Task<InProcessTestCluster> StartAsync(params Dictionary<string, string?>[] siloConfigurations) =>
        StartAsync(configureSilo: null, siloConfigurations);

    /// <summary>As <see cref="StartAsync(Dictionary{string, string}[])"/>, with more silo setup (e.g. membership timings) applied to every silo.</summary>
    public static Task<InProcessTestCluster> StartAsync(Action<ISiloBuilder>? configureSilo, params Dictionary<string, string?>[] siloConfigurations) =>
        StartAsync(configureSilo, siloConfigurations.Length, siloConfigurations);

    /// <summary>
    /// Starts the first <paramref name="initialSilos"/> entries; the rest configure silos added later with
    /// <c>StartAdditionalSiloAsync</c> (Silo_N takes entry N; call <see cref="WaitForMetadataAsync"/> after adding).
    /// </summary>
    public static async Task<InProcessTestCluster> StartAsync(Action<ISiloBuilder>? configureSilo, int initialSilos, params Dictionary<string, string?>[] siloConfigurations)
    {
        var builder = new InProcessTestClusterBuilder((short)initialSilos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((silo, host) =>
        {
            var index = int.Parse(silo.SiloName["Silo_".Length..]);
            host.Configuration.AddInMemoryCollection(siloConfigurations[index]);
            host.Services.AddSingleton<IAcceleratorProbe>(new FakeAcceleratorProbe(cudaDevices: 0));
            host.UseOrleans(orleans =>
            {
                orleans.UseMoeGrains(host.Configuration);
                configureSilo?.Invoke(orleans);
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        await WaitForMetadataAsync(cluster);
        return cluster;
    }

    /// <summary>
    /// Silo metadata reaches each silo's <see cref="ISiloMetadataCache"/> asynchronously, after membership reports the
    /// silo active; placement before that sees no offer. Wait until every silo knows every silo's <c>moe.*</c> keys.
    /// </summary>
    public static async Task WaitForMetadataAsync(InProcessTestCluster cluster)
    {
        var addresses = cluster.Silos.Select(s => s.SiloAddress).ToList();
        var clock = Stopwatch.StartNew();
        while (!cluster.Silos.All(silo => Knows(silo, addresses)))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
                throw new TimeoutException("Silo metadata did not reach every silo within 30 s.");
            await Task.Delay(50);
        }
    }

    private static bool Knows(InProcessSiloHandle silo, IEnumerable<SiloAddress> addresses)
    {
        var cache = silo.SiloHost.Services.GetRequiredService<ISiloMetadataCache>();
        return addresses.All(a => cache.GetSiloMetadata(a).Metadata.ContainsKey(SiloMetadataKeys.ExpertSlots));
    }

    /// <summary>A silo's <c>MoeGrains:Accelerator</c> settings.</summary>
    public static Dictionary<string, string?> Accelerator(int expertSlots, int devices = 1) => new()
    {
        ["MoeGrains:Accelerator:Accelerator"] = "cpu",
        ["MoeGrains:Accelerator:Devices"] = devices.ToString(),
        ["MoeGrains:Accelerator:ExpertSlots"] = expertSlots.ToString(),
    };

    /// <summary>
    /// <see cref="Accelerator"/> plus what must outlive a killed silo: checkpoints in <c>{root}/store</c> and grain state in
    /// files under <c>{root}/grain-state</c> (memory storage would die with the silo that held it).
    /// </summary>
    public static Dictionary<string, string?> FileBacked(string root, int expertSlots)
    {
        var settings = Accelerator(expertSlots);
        settings["MoeGrains:Checkpoints:Kind"] = "Local";
        settings["MoeGrains:Checkpoints:LocalRoot"] = Path.Combine(root, "store");
        settings["MoeGrains:Storage:Provider"] = "Files";
        settings["MoeGrains:Storage:Folder"] = Path.Combine(root, "grain-state");
        return settings;
    }

    /// <summary>Declares a killed silo dead within a few seconds instead of Orleans' default probe timings.</summary>
    public static void FastFailureDetection(ISiloBuilder silo) => silo.Configure<ClusterMembershipOptions>(membership =>
    {
        membership.ProbeTimeout = TimeSpan.FromSeconds(1);
        membership.NumMissedProbesLimit = 2;
        membership.TableRefreshTimeout = TimeSpan.FromSeconds(1);
    });
}
