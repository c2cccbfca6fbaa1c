using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Experts;
using MoeGrains.Abstractions.Models;
using MoeGrains.Client;
using MoeGrains.Testing;
using Orleans.Configuration;

namespace MoeGrains.Cluster.Benchmarks;

/// <summary>
/// <c>faults</c>: real silo processes on loopback (Azure-table membership on a private Azurite, Orleans' default failure
/// detection, a local checkpoint store). Measures how long a killed expert silo's experts take to answer again from the other
/// expert silo, and how long a drain takes to move every expert of a silo to a newly joined one.
/// </summary>
internal static class FaultFigures
{
    internal const string ClusterId = "moefaults";

    public static async Task<int> RunAsync(string root, string preset)
    {
        await using var azurite = new AzuriteFixture();
        await azurite.StartAsync();
        var shared = Settings(azurite.ConnectionString, Path.Combine(root, "store"));
        await using var first = await SiloProcessCluster.StartAsync(shared, Slots(0), Slots(64), Slots(64));
        // A long response timeout: model creation on a busy machine.
        using var clientHost = await LoopbackClient.ConnectAsync(first.Silos[0].GatewayPort, ClusterId, TimeSpan.FromMinutes(10));
        var cluster = clientHost.Services.GetRequiredService<IClusterClient>();
        var client = new MoeClient(cluster);
        await SiloEnvironment.WaitForExpertSilosAsync(client, 2);

        Console.Error.WriteLine($"creating a {preset} model …");
        var info = await client.CreateModelAsync("faults", new ModelSpec(preset, "switch", Seed: 3));
        var placed = await client.ListExpertsAsync("faults");
        var ids = placed.Select(e => e.Id).ToList();
        var silos = first.Silos.Skip(1).OrderByDescending(s => placed.Count(e => e.Silo.StartsWith(s.AddressPrefix, StringComparison.Ordinal))).ToList();
        var (victim, survivor) = (silos[0], silos[1]);
        var lost = placed.Count(e => e.Silo.StartsWith(victim.AddressPrefix, StringComparison.Ordinal));

        Console.Error.WriteLine($"killing {victim.Name} ({lost} of {ids.Count} experts) …");
        var clock = Stopwatch.StartNew();
        await victim.KillAsync();
        var failedCalls = await UntilAllAnswerFromAsync(cluster, ids, survivor.AddressPrefix, TimeSpan.FromMinutes(3));
        var reactivation = clock.Elapsed;

        Console.Error.WriteLine("starting a new expert silo …");
        await using var second = await SiloProcessCluster.StartAsync(shared, Slots(64));
        var joined = second.Silos[0];
        await SiloEnvironment.WaitForExpertSilosAsync(client, 2);
        var survivorAddress = (await client.ListSilosAsync()).Single(s => s.Address.StartsWith(survivor.AddressPrefix, StringComparison.Ordinal)).Address;

        Console.Error.WriteLine($"draining {survivor.Name} …");
        clock.Restart();
        var drained = await client.DrainSiloAsync(survivorAddress, timeout: TimeSpan.FromMinutes(3));
        var drainTime = clock.Elapsed;
        await UntilAllAnswerFromAsync(cluster, ids, joined.AddressPrefix, TimeSpan.FromMinutes(1));
        var answering = clock.Elapsed;

        Console.WriteLine($"## Fault figures ({preset} switch model, {ids.Count} experts in {info.MoeLayers.Count} MoE layers; silo processes on loopback, " +
            "Azure-table membership, Orleans' default failure detection; local checkpoint store)");
        Console.WriteLine("| event | experts affected | time | note |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| expert silo killed (SIGKILL) → every expert answers from the other expert silo | {lost} | {reactivation.TotalSeconds:F1} s | {failedCalls} polling rounds failed meanwhile; dominated by failure detection |");
        Console.WriteLine($"| drain of an expert silo to a newly joined one → it hosts no expert | {drained.ExpertsAtStart} | {drainTime.TotalSeconds:F2} s | every expert answered from the new silo after {answering.TotalSeconds:F2} s |");
        return 0;
    }

    /// <summary>Calls every expert until all answer from the silo with <paramref name="prefix"/>; returns how many rounds failed or answered elsewhere.</summary>
    private static async Task<int> UntilAllAnswerFromAsync(IClusterClient cluster, IReadOnlyList<ExpertId> ids, string prefix, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var misses = 0;
        var last = "";
        while (true)
        {
            try
            {
                var infos = await Task.WhenAll(ids.Select(id => cluster.GetGrain<IExpertGrain>(id.Key).GetInfoAsync()));
                if (infos.All(i => i.Silo.StartsWith(prefix, StringComparison.Ordinal))) return misses;
                last = "experts per silo: " + string.Join(", ", infos.GroupBy(i => i.Silo).Select(g => $"{g.Key}: {g.Count()}"));
            }
            catch (Exception e) when (clock.Elapsed < limit)
            {
                // the dead silo's activations are unreachable until membership declares it dead
                last = $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
            }
            if (clock.Elapsed > limit) throw new TimeoutException($"The experts did not all answer from {prefix}… within {limit.TotalSeconds:F0} s; last: {last}");
            misses++;
            await Task.Delay(50);
        }
    }

    internal static Dictionary<string, string> Settings(string connectionString, string storeRoot)
    {
        var settings = SiloEnvironment.Common(ClusterId, storeRoot).WithTableClustering(connectionString);
        settings["MoeGrains__Storage__Provider"] = "AzureBlob";
        settings["MoeGrains__Storage__ConnectionString"] = connectionString;
        return settings;
    }

    internal static Dictionary<string, string> Slots(int slots) => new() { ["MoeGrains__Accelerator__ExpertSlots"] = slots.ToString() };
}
