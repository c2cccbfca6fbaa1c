using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Tensors;
using MoeGrains.Abstractions.Training;
using MoeGrains.Client;
using MoeGrains.Grains.Tensors;
using MoeGrains.Model;
using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using MoeGrains.Testing;
using Orleans.Configuration;

namespace MoeGrains.Cluster.Benchmarks;

/// <summary>
/// <c>demix-scaling [preset] [steps] [batch]</c> (issue 4, section 7): real silo processes on loopback (localhost clustering) — a router silo
/// without expert slots and K = 2 expert silos, torch pinned to one thread per silo. Measures independent domain-expert
/// training, one expert on one silo process against K experts on K silo processes (scaling efficiency = total tokens/s
/// with K ÷ (K × tokens/s with one)), then the mixture's cost: the full cached-prior mixture of the trained experts
/// against top-1 and top-2 (time and perplexity on the validation text of every domain). The load average is printed
/// beside each figure: the machine is shared.
/// </summary>
internal static class DemixScaling
{
    private const string ClusterId = "moedemix";
    private const string Model = "demix-bench";
    private const string Dataset = "sample";
    private const int K = 2;
    private const int SharedSteps = 30;
    private const int WarmupSteps = 2;
    private const int CostTokensPerDomain = 1024;
    private const int TrainingRounds = 2;
    private const int CostRounds = 3;

    public static async Task<int> RunAsync(string root, string preset, int steps, int batch)
    {
        // Localhost clustering (the others join the first silo, as `moe up` does): no membership table to wait for.
        var primaryPort = FreePorts.Take(1)[0];
        var router = new Dictionary<string, string> { ["MoeGrains__Accelerator__ExpertSlots"] = "0", ["MoeGrains__Silo__SiloPort"] = $"{primaryPort}" };
        var experts = Enumerable.Range(0, K).Select(_ => new Dictionary<string, string>
        {
            ["MoeGrains__Accelerator__ExpertSlots"] = "64",
            ["MoeGrains__Silo__PrimarySiloEndpoint"] = $"127.0.0.1:{primaryPort}",
        });
        await using var silos = await SiloProcessCluster.StartAsync(Settings(Path.Combine(root, "store")), [router, .. experts]);
        using var clientHost = await LoopbackClient.ConnectAsync(silos.Silos[0].GatewayPort, ClusterId, TimeSpan.FromMinutes(10));
        var cluster = clientHost.Services.GetRequiredService<IClusterClient>();
        var client = new MoeClient(cluster);
        await SiloEnvironment.WaitForExpertSilosAsync(client, K);

        Console.Error.WriteLine($"shared {preset} domain model: {SharedSteps} steps through the router …");
        await client.UploadDatasetAsync(Dataset, BenchSettings.Corpus);
        var domains = DomainCorpus.Load(BenchSettings.Corpus).Domains;
        await client.CreateModelAsync(Model, new ModelSpec(preset, "domain", Seed: BenchSettings.Seed, Experts: domains.Count));
        var shared = await (await client.TrainAsync(Model, new TrainingRequest(Dataset, SharedSteps, batch, 3e-3, BenchSettings.Seed, CheckpointEvery: SharedSteps))).WaitAsync();
        if (shared.State != TrainingState.Completed) throw new InvalidOperationException($"The shared model did not train: {shared.Error}");
        var config = ModelConfig.FromJson((await client.GetModelAsync(Model)).ConfigJson);
        var request = new DomainExpertTrainingRequest(Dataset, shared.Version, steps, batch, 3e-3, BenchSettings.Seed, CheckpointEvery: steps);
        var tokensPerStep = (long)batch * config.ContextLength;

        // Rounds alternate the two set-ups so that a change of the machine's load hits both; each round is a new run (its own seed).
        string[] one = ["code"], many = ["religion", "speeches"];
        var rounds = new List<(TrainingFigures Single, TrainingFigures Parallel)>();
        for (var round = 0; round < TrainingRounds; round++)
        {
            request = request with { Seed = BenchSettings.Seed + round };
            Console.Error.WriteLine($"round {round + 1}: one expert ({one[0]}), {steps} steps …");
            var alone = await TrainAsync(cluster, one, request, tokensPerStep);
            Console.Error.WriteLine($"round {round + 1}: {K} experts ({string.Join(", ", many)}) at once, {steps} steps …");
            rounds.Add((alone, await TrainAsync(cluster, many, request, tokensPerStep)));
        }
        var single = Median(rounds.Select(r => r.Single.TokensPerSecond));
        var parallel = Median(rounds.Select(r => r.Parallel.TokensPerSecond));

        // The same request again through the mixture: the experts have finished it, so version 1 commits at once.
        string[] trained = [.. one, .. many];
        await client.TrainDomainExpertsAsync(Model, trained, request);
        var mixture = await client.GetDomainMixtureAsync(Model);
        if (mixture.Version != 1) throw new InvalidOperationException($"The mixture of the trained experts did not commit (version {mixture.Version}).");
        Console.Error.WriteLine("cached priors, then the mixture cost …");
        var priors = await client.EstimateMixturePriorsAsync(Model, Dataset, "valid");
        var cost = await MixtureCostAsync(cluster, config, priors, domains);

        var efficiency = parallel / (K * single);
        Console.WriteLine();
        Console.WriteLine($"## Independent domain-expert training ({preset}, batch {batch} × {config.ContextLength}, {steps} FFN-only steps per expert, " +
            $"tokens/s over steps {WarmupSteps + 1}–{steps}; silo processes on loopback, one torch thread per silo; {TrainingRounds} alternating rounds)");
        Console.WriteLine("| round | set-up | experts (silo) | total tokens/s | load average during |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (round, index) in rounds.Select((r, i) => (r, i + 1)))
        {
            Console.WriteLine($"| {index} | one expert, one silo process | {round.Single.Placement} | {round.Single.TokensPerSecond:N0} | {round.Single.Load} |");
            Console.WriteLine($"| {index} | {K} experts, {K} silo processes | {round.Parallel.Placement} | {round.Parallel.TokensPerSecond:N0} | {round.Parallel.Load} |");
        }
        Console.WriteLine($"scaling efficiency = {parallel:N0} ÷ ({K} × {single:N0}) = **{efficiency:F2}** (medians; target ≥ 0.9; per round " +
            string.Join(", ", rounds.Select(r => (r.Parallel.TokensPerSecond / (K * r.Single.TokensPerSecond)).ToString("F2"))) + $"); load average now {LoadAverage.Figures()}");
        if (rounds.Any(r => r.Parallel.Silos < K)) Console.WriteLine($"warning: in some round the {K} experts shared a silo; that round does not measure {K} silos");
        Console.WriteLine();
        Console.WriteLine($"## Mixture cost: {trained.Length} experts ({string.Join(", ", trained)}), cached prior of each domain; the first " +
            $"{CostTokensPerDomain} validation tokens of each of the {domains.Count} domains, scored through the expert grains");
        Console.WriteLine($"| mixture | expert forwards | time (s, median of {CostRounds} interleaved rounds) | time ÷ full | mean perplexity | perplexity ÷ full |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var full = cost[0];
        foreach (var row in cost)
            Console.WriteLine($"| {row.Name} | {row.ExpertCalls} | {row.Seconds:F2} | {row.Seconds / full.Seconds:F2} | {row.Perplexity:F3} | {row.Perplexity / full.Perplexity:F4} |");
        Console.WriteLine($"load average at the end: {LoadAverage.Figures()}");
        return 0;
    }

    private sealed record TrainingFigures(double TokensPerSecond, string Placement, int Silos, string Load);

    private sealed record CostRow(string Name, long ExpertCalls, double Seconds, double Perplexity);

    /// <summary>Starts the experts at once (each its own grain, no messages between them) and times steps after the warm-up.</summary>
    private static async Task<TrainingFigures> TrainAsync(IClusterClient cluster, IReadOnlyList<string> domains, DomainExpertTrainingRequest request, long tokensPerStep)
    {
        var grains = domains.Select(d => cluster.GetGrain<IDomainExpertGrain>(DomainExpertNames.GrainKey(Model, d))).ToList();
        var loadBefore = LoadAverage.Figures();
        var started = await Task.WhenAll(grains.Select(g => g.StartTrainingAsync(request)));
        var clock = Stopwatch.StartNew();
        var warm = new (double Time, long Step)?[grains.Count];
        var done = new double?[grains.Count];
        while (done.Any(d => d is null))
        {
            var statuses = await Task.WhenAll(grains.Select(g => g.GetStatusAsync()));
            var now = clock.Elapsed.TotalSeconds;
            for (var i = 0; i < statuses.Length; i++)
            {
                if (statuses[i].State == TrainingState.Failed) throw new InvalidOperationException($"Expert {domains[i]} failed: {statuses[i].Error}");
                if (warm[i] is null && statuses[i].Step >= WarmupSteps) warm[i] = (now, statuses[i].Step);
                if (done[i] is null && statuses[i].State == TrainingState.Completed) done[i] = now;
            }
            await Task.Delay(100);
        }
        var rates = domains.Select((_, i) => (request.Steps - warm[i]!.Value.Step) * tokensPerStep / (done[i]!.Value - warm[i]!.Value.Time)).ToList();
        var placement = string.Join(", ", started.Select(s => $"{s.Expert} ({Port(s.Silo)})"));
        return new TrainingFigures(rates.Sum(), placement, started.Select(s => s.Silo).Distinct().Count(), $"{loadBefore} → {LoadAverage.Figures()}");
    }

    /// <summary>Full cached-prior mixture, top-1 and top-2 by cached prior, on the same texts through the same expert grains.</summary>
    private static async Task<IReadOnlyList<CostRow>> MixtureCostAsync(IClusterClient cluster, ModelConfig config, DomainMixturePriors priors, IReadOnlyList<string> domains)
    {
        var versions = await Task.WhenAll(priors.Experts.Select(e => cluster.GetGrain<IDomainExpertGrain>(DomainExpertNames.GrainKey(Model, e)).GetStatusAsync()));
        var scorers = priors.Experts.Select((name, i) =>
        {
            var grain = cluster.GetGrain<IDomainExpertGrain>(DomainExpertNames.GrainKey(Model, name));
            var version = versions[i].Version;
            return new ExpertScorer(name, async (batch, _) =>
                TensorCodec.FromPayload(await grain.LogProbsAsync(TensorCodec.ToPayload(batch.Tokens), version), expectedType: TensorDType.Float64, what: name));
        }).ToList();
        var tokenizer = TokenizerFactory.Create(config.Tokenizer);
        var texts = domains.ToDictionary(d => d, d =>
        {
            var tokens = tokenizer.Encode(File.ReadAllText(Path.Combine(BenchSettings.Corpus, d, "valid.txt")));
            return tokens.Take(CostTokensPerDomain).ToArray();
        });
        (string Name, int? TopK)[] modes = [("full (cached prior)", null), ("top-1", 1), ("top-2", 2)];
        var seconds = modes.Select(_ => new List<double>()).ToArray();
        var results = new (long Calls, double Perplexity)[modes.Length];
        for (var round = 0; round < CostRounds; round++)
        for (var m = 0; m < modes.Length; m++)
        {
            long calls = 0;
            double perplexitySum = 0;
            var clock = Stopwatch.StartNew();
            foreach (var domain in domains)
            {
                var prior = priors.Experts.Select(e => priors.Priors[domain][e]).ToArray();
                var mixture = new DomainMixture(scorers, new MixtureSettings(PriorMode.Cached, modes[m].TopK), prior);
                var scores = await mixture.ScoreSequenceAsync(texts[domain], config.ContextLength);
                calls += mixture.ExpertCalls;
                perplexitySum += Math.Exp(-scores.Sum() / scores.Length);
            }
            seconds[m].Add(clock.Elapsed.TotalSeconds);
            results[m] = (calls, perplexitySum / domains.Count);
        }
        return [.. modes.Select((mode, m) => new CostRow(mode.Name, results[m].Calls, Median(seconds[m]), results[m].Perplexity))];
    }

    private static string Port(string silo) => silo.Split(':') is [_, var port, ..] ? $"silo :{port}" : silo;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static Dictionary<string, string> Settings(string storeRoot)
    {
        var settings = SiloEnvironment.Common(ClusterId, storeRoot);
        settings["MoeGrains__Silo__Clustering"] = "Localhost";
        return settings;
    }
}
