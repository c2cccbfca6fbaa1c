using MoeGrains.Abstractions.Domains;
using MoeGrains.Grains.Datasets;
using MoeGrains.Grains.Routers;
using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;

namespace MoeGrains.Grains.Domains;

/// <summary>
/// Multiple-choice scoring over the mixture: <see cref="MixtureChoiceScorer"/> over the expert grains of the pinned version.
/// Cached priors it had to estimate are stored in that version, as evaluation stores them.
/// </summary>
public sealed partial class DomainMixtureGrain
{
    /// <inheritdoc/>
    public async Task<MixtureChoiceScoringResult> ScoreChoicesAsync(MixtureChoiceScoringRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Task);
        var pinned = Current();
        var settings = MixtureSettings.Parse(request.Mixture ?? throw new ArgumentException("Name the mixture: uniform, cached or topk:K."));
        var items = ChoiceScoringMapping.ToItems(request.Task);
        var methods = ChoiceScoringMapping.ToMethods(request.Task);
        var tokenizer = TokenizerFactory.Create(config!.Tokenizer);
        var experts = Scorers(pinned);
        TokenizedSplit? validation = null;
        if (settings.Mode == PriorMode.Cached && request.Dataset is { } dataset)
        {
            var corpus = await DatasetDownloads.OpenAsync(store, dataset);
            validation = TokenizedSplit.Create(corpus, tokenizer, CorpusSplit.Valid);
        }
        var priors = new CachedPriorSource(experts, pinned, validation, config.ContextLength);
        var scorer = new MixtureChoiceScorer(experts, settings, tokenizer, config.ContextLength, config.VocabularySize, priors.GetAsync);
        var report = await scorer.EvaluateAsync(items, methods, request.Task.Seed);
        await StorePriorsAsync(pinned, priors.Estimated);
        return new MixtureChoiceScoringResult(pinned.Version, pinned.Experts,
            scorer.PriorsUsed.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, double>)pinned.ByExpert(p.Value)),
            ChoiceScoringMapping.ToResults(report));
    }
}
