using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Client;
using MoeGrains.Model.Data;
using MoeGrains.Testing;

namespace MoeGrains.Cluster.Benchmarks;

/// <summary>
/// <c>demix-faults [preset] [steps] [batch]</c> (issue 4, section 7): domain experts branch-training on two expert silo processes
/// (the set-up of <see cref="FaultFigures"/>: Azure-table membership on a private Azurite, Orleans' default failure detection,
/// run state in Azurite blobs, a local checkpoint store). Times, per expert, how long after its silo is SIGKILLed it answers
/// from the other silo and trains again, and the steps it redid; then how long a drain to a newly joined silo takes and the
/// steps redone after it (none: a moving expert commits its step first).
/// </summary>
internal static class DomainExpertFaultFigures
{
    private const string Model = "demix-faults";
    private const string Dataset = "sample";
    private const int CheckpointEvery = 20;
    private static readonly string[] Domains = ["code", "religion", "speeches", "techdocs"];

    public static async Task<int> RunAsync(string root, string preset, int steps, int batch)
    {
        await using var azurite = new AzuriteFixture();
        await azurite.StartAsync();
        var shared = FaultFigures.Settings(azurite.ConnectionString, Path.Combine(root, "store"));
        await using var first = await SiloProcessCluster.StartAsync(shared, FaultFigures.Slots(0), FaultFigures.Slots(64), FaultFigures.Slots(64));
        using var clientHost = await LoopbackClient.ConnectAsync(first.Silos[0].GatewayPort, FaultFigures.ClusterId, TimeSpan.FromMinutes(10));
        var client = new MoeClient(clientHost.Services.GetRequiredService<IClusterClient>());
        await SiloEnvironment.WaitForExpertSilosAsync(client, 2);

        Console.Error.WriteLine($"shared {preset} domain model, then {Domains.Length} experts branch-training ({steps} steps, checkpoint every {CheckpointEvery}) …");
        await client.UploadDatasetAsync(Dataset, BenchSettings.Corpus);
        var corpusDomains = DomainCorpus.Load(BenchSettings.Corpus).Domains.Count;
        await client.CreateModelAsync(Model, new ModelSpec(preset, "domain", Seed: BenchSettings.Seed, Experts: corpusDomains));
        var trained = await (await client.TrainAsync(Model, new TrainingRequest(Dataset, 4, batch, 3e-3, BenchSettings.Seed, CheckpointEvery: 4))).WaitAsync();
        if (trained.State != TrainingState.Completed) throw new InvalidOperationException($"The shared model did not train: {trained.Error}");
        var request = new DomainExpertTrainingRequest(Dataset, trained.Version, steps, batch, 3e-3, BenchSettings.Seed, CheckpointEvery: CheckpointEvery);
        await client.TrainDomainExpertsAsync(Model, Domains, request);
        var running = await UntilAsync(client, s => s.Training.All(e => e.Step > CheckpointEvery + CheckpointEvery / 2), TimeSpan.FromMinutes(10), "every expert past its first checkpoint");

        var victim = first.Silos.Skip(1).MaxBy(s => running.Training.Count(e => e.Silo.StartsWith(s.AddressPrefix, StringComparison.Ordinal)))!;
        var survivor = first.Silos.Skip(1).Single(s => s != victim);
        Console.Error.WriteLine($"killing {victim.Name} …");
        var beforeKill = await client.GetDomainMixtureAsync(Model);
        var lost = beforeKill.Training.Where(e => e.Silo.StartsWith(victim.AddressPrefix, StringComparison.Ordinal)).ToList();
        var clock = Stopwatch.StartNew();
        await victim.KillAsync();
        var killRows = await FollowAsync(client, lost, survivor.AddressPrefix, clock, TimeSpan.FromMinutes(3));

        Console.Error.WriteLine("starting a new expert silo, then draining the survivor …");
        await using var second = await SiloProcessCluster.StartAsync(shared, FaultFigures.Slots(64));
        var joined = second.Silos[0];
        await SiloEnvironment.WaitForExpertSilosAsync(client, 2);
        var survivorAddress = (await client.ListSilosAsync()).Single(s => s.Address.StartsWith(survivor.AddressPrefix, StringComparison.Ordinal)).Address;
        var beforeDrain = await client.GetDomainMixtureAsync(Model);
        var moving = beforeDrain.Training.Where(e => e.State == TrainingState.Running && e.Silo.StartsWith(survivor.AddressPrefix, StringComparison.Ordinal)).ToList();
        Console.Error.WriteLine("before the drain: " + string.Join("; ", beforeDrain.Training.Select(e => $"{e.Expert} {e.State} step {e.Step} on {e.Silo}{(e.Error is null ? "" : $" ({e.Error})")}")));
        clock.Restart();
        var drained = await client.DrainSiloAsync(survivorAddress, timeout: TimeSpan.FromMinutes(3));
        var drainTime = clock.Elapsed;
        var drainRows = await FollowAsync(client, moving, joined.AddressPrefix, clock, TimeSpan.FromMinutes(2));

        Console.WriteLine($"## Domain-expert fault figures ({preset} domain model, {Domains.Length} experts branch-training, batch {batch}, checkpoint every {CheckpointEvery} steps; " +
            "silo processes on loopback, Azure-table membership, Orleans' default failure detection, mixture polling every 2 s)");
        Console.WriteLine("| event | expert | step before | answers from the other silo | trains again | resumed at step | steps redone |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var row in killRows) Console.WriteLine($"| expert silo killed (SIGKILL) | {row}");
        foreach (var row in drainRows) Console.WriteLine($"| drain to a newly joined silo ({drained.ExpertsAtStart} expert activations, drained in {drainTime.TotalSeconds:F2} s) | {row}");
        Console.WriteLine($"load average at the end: {LoadAverage.Figures()}");
        return 0;
    }

    /// <summary>
    /// Polls the mixture (each poll re-activates an expert that does not answer) until every one of <paramref name="experts"/>
    /// reports from the silo with <paramref name="prefix"/> and has taken a step there; one table row per expert.
    /// </summary>
    private static async Task<IReadOnlyList<string>> FollowAsync(MoeClient client, IReadOnlyList<DomainExpertStatus> experts, string prefix, Stopwatch clock, TimeSpan limit)
    {
        var answered = new Dictionary<string, (double Seconds, long Step)>();
        var training = new Dictionary<string, double>();
        var lastSeen = experts.ToDictionary(e => e.Expert, e => e.Step);
        while (training.Count < experts.Count)
        {
            if (clock.Elapsed > limit) throw new TimeoutException($"Not every expert trained again from {prefix}… within {limit.TotalSeconds:F0} s.");
            DomainMixtureStatus status;
            try
            {
                status = await client.GetDomainMixtureAsync(Model);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                continue; // the mixture grain lived on the killed silo
            }
            foreach (var expert in status.Training.Where(e => lastSeen.ContainsKey(e.Expert)))
            {
                if (!expert.Silo.StartsWith(prefix, StringComparison.Ordinal))
                {
                    if (expert.Error is null) lastSeen[expert.Expert] = Math.Max(lastSeen[expert.Expert], expert.Step);
                    continue;
                }
                if (!answered.ContainsKey(expert.Expert)) answered[expert.Expert] = (clock.Elapsed.TotalSeconds, expert.Step);
                if (!training.ContainsKey(expert.Expert) && (expert.Step > answered[expert.Expert].Step || expert.State == TrainingState.Completed))
                    training[expert.Expert] = clock.Elapsed.TotalSeconds;
            }
            await Task.Delay(100);
        }
        return [.. experts.Select(e =>
        {
            var (seconds, resumedAt) = answered[e.Expert];
            return $"{e.Expert} | {lastSeen[e.Expert]} | {seconds:F1} s | {training[e.Expert]:F1} s | {resumedAt} | {Math.Max(0, lastSeen[e.Expert] - resumedAt)} |";
        })];
    }

    private static async Task<DomainMixtureStatus> UntilAsync(MoeClient client, Func<DomainMixtureStatus, bool> done, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await client.GetDomainMixtureAsync(Model);
            if (status.Training.FirstOrDefault(e => e.State == TrainingState.Failed) is { } failed)
                throw new InvalidOperationException($"Expert {failed.Expert} failed: {failed.Error}");
            if (done(status)) return status;
            if (clock.Elapsed > limit) throw new TimeoutException($"Waited {limit.TotalMinutes:F0} min for {what}.");
            await Task.Delay(200);
        }
    }
}
