using Microsoft.Extensions.Logging;
using MoeGrains.Cli.Commands;
using MoeGrains.Cli.Output;
using MoeGrains.Model;
using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using MoeGrains.Model.Training;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace MoeGrains.Cli.Training;

/// <summary>
/// <c>moe train --gate domain --branch --in-process</c>: DEMix in this process. Phase 1 trains the shared model on every
/// training domain (balanced); phase 2 branch-trains one expert per domain on its own data, all at once; the mixture folder
/// gets the shared checkpoint, each expert's FFNs (all weights with --btm), and version 1 of the manifest with the cached
/// prior of every domain estimated on its validation blocks.
/// </summary>
internal static class BranchInProcessTraining
{
    public static async Task<int> RunAsync(TrainSettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        var gate = GateNames.Parse(settings.Gate);
        if (gate is not (GateKind.Domain or GateKind.Dense))
            throw new ArgumentException($"--branch trains domain experts after a domain-gate (DEMix) or dense phase 1; --gate {settings.Gate} is neither.");
        var tokenizer = TokenizerFactory.Create(settings.Tokenizer);
        var corpus = DomainCorpus.Load(SampleCorpus.Resolve(settings.Corpus), logger);
        var train = TrainingDomains(TokenizedSplit.Create(corpus, tokenizer, CorpusSplit.Train), settings.HoldOut);
        var config = ModelConfig.FromPreset(settings.Config, gate, tokenizer.VocabularySize, tokenizer.Name);
        if (gate == GateKind.Domain) config = config.WithDomains(train.Domains);
        var options = new TrainingOptions(settings.Steps, settings.Batch, settings.LearningRateFor(config), Seed: settings.Seed).Validate();
        var branchOptions = options with
        {
            Steps = settings.BranchSteps ?? settings.Steps,
            BatchSize = settings.BranchBatch ?? settings.Batch,
            LearningRate = settings.BranchLearningRate ?? options.LearningRate,
        };
        branchOptions.Validate();
        var mode = settings.Btm ? BranchMode.AllParameters : BranchMode.FeedForward;
        var outDir = OutputFolder.Choose(settings.Out, $"{settings.Gate}-{settings.Config}-branch".ToLowerInvariant(), metricsOnly: true);
        var device = DeviceSelector.Resolve(settings.Device, logger);

        manual_seed(settings.Seed);
        using var shared = new MoeLanguageModel(config);
        if (device.type != DeviceType.CPU) shared.to(device.type, device.index);
        List<StepMetrics> history;
        using (var trainer = new Trainer(shared, options, logger))
        {
            var sampler = new BlockSampler(train, config.ContextLength, settings.Seed);
            history = InProcessTraining.RunWithProgress(trainer, options, sampler, Path.Combine(outDir, "metrics.jsonl"),
                $"phase 1: shared {settings.Gate}/{settings.Config}", cancellationToken);
        }
        LossPlot.Write(Path.Combine(outDir, "loss.png"), history, $"phase 1: {settings.Gate} / {settings.Config}");
        var sha = DomainMixtureFolder.SaveShared(outDir, shared, options.Steps);

        var experts = train.Domains.Select((domain, i) => new DomainExpert(domain, DomainExpertWeights.Extract(shared, gate == GateKind.Dense ? 0 : i))).ToList();
        try
        {
            TrainBranches(experts, train, branchOptions, mode, cancellationToken);
            foreach (var expert in experts) DomainMixtureFolder.SaveExpert(outDir, expert, mode, sha);
            var manifest = MixtureManifest.First(sha, [.. experts.Select(e => e.Domain)]);

            var valid = TokenizedSplit.Create(corpus, tokenizer, CorpusSplit.Valid);
            var report = await MixtureEvaluator.EvaluateAsync([.. experts.Select(e => e.Scorer())], valid, valid, config.ContextLength,
                settings.Batch, topK: Math.Min(2, experts.Count), cancellationToken: cancellationToken);
            foreach (var result in report.Domains)
                manifest = manifest.WithCachedPrior(result.Domain, [.. manifest.Experts.Select(e => result.CachedPrior[e])]);
            DomainMixtureFolder.Commit(outDir, manifest);
            AnsiConsole.MarkupLineInterpolated($"Shared checkpoint, {experts.Count} domain experts ({mode}) and mixture.json written to [bold]{outDir}[/]");
            if (!settings.NoEval) MixtureOutput.WriteTable(report, new MixtureSettings(PriorMode.Cached), $"validation perplexity ({tokenizer.Name} tokens)");
        }
        finally
        {
            foreach (var expert in experts) expert.Dispose();
        }
        return 0;
    }

    /// <summary>The train split without the held-out domains, renumbered 0 … n − 1 (the domain gate's expert ids).</summary>
    public static TokenizedSplit TrainingDomains(TokenizedSplit train, string? holdOut)
    {
        var held = (holdOut ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = held.Where(d => !train.Domains.Contains(d)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"--hold-out names unknown domain '{unknown[0]}'. Domains: {string.Join(", ", train.Domains)}.");
        var kept = train.Streams.Where(s => !held.Contains(s.Domain)).ToList();
        if (kept.Count == 0) throw new ArgumentException("--hold-out leaves no domain to train on.");
        return new TokenizedSplit(train.Split, train.Tokenizer, kept.Select((s, i) => s.WithDomainId(i)));
    }

    private static void TrainBranches(List<DomainExpert> experts, TokenizedSplit train, TrainingOptions options, BranchMode mode, CancellationToken cancellationToken)
    {
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var tasks = experts.Select(expert =>
                {
                    var bar = progress.AddTask($"phase 2: {expert.Domain}", maxValue: options.Steps);
                    return Task.Run(() => BranchTraining.Train(expert, train.Stream(expert.Domain), options, mode, metrics =>
                    {
                        bar.Description = $"phase 2: {expert.Domain}  loss {metrics.Loss:F3}  {metrics.TokensPerSecond:N0} tok/s";
                        bar.Increment(1);
                    }, cancellationToken: cancellationToken), cancellationToken);
                }).ToArray();
                Task.WaitAll(tasks, cancellationToken);
            });
    }
}
