using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Inference;
using MoeGrains.Client;
using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using MoeGrains.Model.Scoring;

namespace MoeGrains.Cli.Commands;

/// <summary>
/// <c>moe score --tasks FILE --mixture uniform|cached|topk:K</c> over a mixture of domain experts: a mixture folder in this
/// process (cached priors the manifest lacks are estimated on the corpus's valid split and kept in the manifest, as
/// <c>moe eval</c> does), or a model's mixture grain in the cluster.
/// </summary>
internal static class MixtureTaskScoring
{
    public static async Task<(IReadOnlyList<MethodAccuracyResult> Report, string Under)> InProcessAsync(ScoreSettings settings, string folder,
        IReadOnlyList<ChoiceItem> items, IReadOnlyList<ScoringMethod> methods, ILogger logger, CancellationToken cancellationToken)
    {
        var chosen = Require(settings.Mixture, $"'{folder}' is a mixture of domain experts",
            $" (or score its shared weights with --checkpoint {Path.Combine(folder, "shared")})");
        var (manifest, experts) = DomainMixtureFolder.LoadMixture(folder);
        try
        {
            var config = experts[0].Model.Config;
            var tokenizer = TokenizerFactory.Create(config.Tokenizer);
            var scorers = experts.Select(e => e.Scorer()).ToArray();
            TokenizedSplit? validation = null;
            if (chosen.Mode == PriorMode.Cached)
                validation = TokenizedSplit.Create(DomainCorpus.Load(SampleCorpus.Resolve(settings.Corpus), logger), tokenizer, CorpusSplit.Valid);
            var priors = new CachedPriorSource(scorers, manifest, validation, config.ContextLength);
            var scorer = new MixtureChoiceScorer(scorers, chosen, tokenizer, config.ContextLength, config.VocabularySize, priors.GetAsync);
            var report = await scorer.EvaluateAsync(items, methods, settings.Seed, cancellationToken);
            if (priors.Estimated.Count > 0)
                DomainMixtureFolder.Commit(folder, priors.Estimated.Aggregate(manifest, (m, p) => m.WithCachedPrior(p.Key, p.Value)));
            return (TaskScoring.ToResults(report), $"{folder} (mixture version {manifest.Version}, {chosen})");
        }
        finally
        {
            foreach (var expert in experts) expert.Dispose();
        }
    }

    public static async Task<(IReadOnlyList<MethodAccuracyResult> Report, string Under)> InClusterAsync(ScoreSettings settings, MoeClient client,
        string model, DomainMixtureStatus status, ChoiceScoringRequest task, CancellationToken cancellationToken)
    {
        if (status.Version == 0)
            throw new ArgumentException($"--mixture scores over a mixture of domain experts; model '{model}' has none (train its experts with --branch).");
        var chosen = Require(settings.Mixture, $"Model '{model}' has a mixture of domain experts (version {status.Version})",
            " (or score its shared weights with --shared)");
        if (chosen.TopK is { } k && k > status.Experts.Count)
            throw new ArgumentException($"--mixture {chosen} asks for {k} experts; the mixture has {status.Experts.Count}.");
        string? dataset = null;
        if (chosen.Mode == PriorMode.Cached)
        {
            if (settings.Dataset is not null && settings.Corpus is not null)
                throw new ArgumentException("Give --dataset NAME (already in the store) or --corpus DIR (uploaded), not both.");
            dataset = settings.Dataset;
            if (dataset is null)
            {
                var corpus = SampleCorpus.Resolve(settings.Corpus);
                dataset = Cluster.ClusterNames.DatasetFor(corpus);
                await client.UploadDatasetAsync(dataset, corpus, cancellationToken);
            }
        }
        var result = await client.ScoreChoicesOverMixtureAsync(model, new MixtureChoiceScoringRequest(task, chosen.ToString(), dataset));
        return (result.Methods, $"{model} (mixture version {result.Version}, {chosen})");
    }

    private static MixtureSettings Require(string? mixture, string what, string alternative = "")
    {
        if (mixture is null)
            throw new ArgumentException($"{what}: choose how to mix the experts with --mixture uniform, cached or topk:K{alternative}.");
        var chosen = MixtureSettings.Parse(mixture);
        if (chosen.Mode == PriorMode.Updating)
            throw new ArgumentException("--mixture updating moves the prior with the order of the items, so an item's score would depend on the " +
                "items before it; score tasks with uniform, cached or topk:K.");
        return chosen;
    }
}
