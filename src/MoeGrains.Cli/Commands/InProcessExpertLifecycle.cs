using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using MoeGrains.Model.Training;
using Spectre.Console;

namespace MoeGrains.Cli.Commands;

/// <summary>
/// The expert lifecycle on a mixture folder (<c>--checkpoint</c>): add a domain's expert (posterior of its data, a copy of
/// the highest-posterior expert, FFN-only training at 0.1 × the learning rate), retire or restore one — each commits the
/// next manifest version; a refused change commits nothing.
/// </summary>
internal static class InProcessExpertLifecycle
{
    public static async Task<int> AddAsync(ExpertLifecycleSettings settings, CancellationToken cancellationToken)
    {
        var folder = settings.Checkpoint ?? throw new ArgumentException("experts add needs --model NAME (a mixture in the cluster) or --checkpoint DIR (a mixture folder written by moe train --branch --in-process).");
        if (settings.Model is not null || settings.Cluster is not null || settings.Store is not null || settings.Dataset is not null)
            throw new ArgumentException("--checkpoint works on a mixture folder in this process: --model, --cluster, --store and --dataset do not apply.");
        var domain = settings.RequireExpert();
        if (settings.Steps <= 0) throw new ArgumentException($"--steps must be positive (got {settings.Steps}).");
        using var loggerFactory = CliLogging.Create(LogLevel.Warning);
        var (manifest, experts) = DomainMixtureFolder.LoadMixture(folder);
        try
        {
            var next = Checked(() => manifest.WithAdded(domain));
            var config = experts[0].Model.Config;
            var tokenizer = TokenizerFactory.Create(config.Tokenizer);
            var corpus = DomainCorpus.Load(SampleCorpus.Resolve(settings.Corpus), loggerFactory.CreateLogger("moe.experts"));
            var train = TokenizedSplit.Create(corpus, tokenizer, CorpusSplit.Train).Stream(domain);
            var valid = corpus.HasSplit(domain, CorpusSplit.Valid) ? TokenizedSplit.Create(corpus, tokenizer, CorpusSplit.Valid).Stream(domain) : null;
            var learningRate = settings.LearningRate ?? (config.Preset == "tiny" ? 1e-2 : 3e-3);
            var options = new TrainingOptions(settings.Steps, settings.Batch, learningRate, Seed: settings.Seed).Validate();
            ExpertAddition? added = null;
            await AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var bar = progress.AddTask($"adding {domain}", maxValue: settings.Steps);
                    added = await ExpertAdding.AddAsync(experts, domain, train, valid, options, onStep: metrics =>
                    {
                        bar.Description = $"adding {domain}  loss {metrics.Loss:F3}  {metrics.TokensPerSecond:N0} tok/s";
                        bar.Increment(1);
                    }, cancellationToken: cancellationToken);
                });
            using (added!.Expert)
            {
                next = await CachedPriorRefresh.EstimateAsync(next, CachedPriorRefresh.DomainsAfterAdding(manifest, domain, corpus),
                    [.. experts.Select(e => e.Scorer()), added.Expert.Scorer()], corpus, tokenizer, config.ContextLength, cancellationToken: cancellationToken);
                DomainMixtureFolder.SaveExpert(folder, added.Expert, BranchMode.FeedForward, manifest.SharedWeightsSha256, added.Parent);
                DomainMixtureFolder.Commit(folder, next);
            }
            AnsiConsole.MarkupLineInterpolated($"Expert [bold]{domain}[/] initialised from [bold]{added.Parent}[/] (posterior {added.Posterior.Max():F3}), trained {settings.Steps} steps at {learningRate * BranchTraining.AddedExpertLearningRateFactor:G3}; mixture version {next.Version}.");
            ExpertLifecycle.Write(folder, Status(next), settings.Json);
            return 0;
        }
        finally
        {
            foreach (var expert in experts) expert.Dispose();
        }
    }

    public static int Change(ExpertLifecycleSettings settings, string folder, bool retire)
    {
        var expert = settings.RequireExpert();
        var manifest = DomainMixtureFolder.ReadManifest(folder);
        var next = Checked(() => retire ? manifest.WithRetired(expert) : manifest.WithRestored(expert));
        DomainMixtureFolder.Commit(folder, next);
        ExpertLifecycle.Write(folder, Status(next), settings.Json);
        return 0;
    }

    private static DomainMixtureStatus Status(MixtureManifest manifest) => new(manifest.Version, manifest.Experts, manifest.Archived, []);

    private static MixtureManifest Checked(Func<MixtureManifest> change)
    {
        try
        {
            return change();
        }
        catch (DomainExpertException e)
        {
            throw new ArgumentException(e.Message);
        }
    }
}
