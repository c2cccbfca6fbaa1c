using MoeGrains.Model.Data;
using MoeGrains.Model.Scoring;

namespace MoeGrains.Model.Domains;

/// <summary>
/// Multiple-choice scoring over a mixture of domain experts: every method of <see cref="MultipleChoiceScorer"/> over a
/// <see cref="MixtureContinuationScorer"/>, which mixes each choice's sequence probability across the experts with the
/// posterior given its context. The prior is uniform (<c>uniform</c>), the cached prior of the item's <c>domain</c>
/// (<c>cached</c>), or the k experts of highest cached prior, renormalised (<c>topk:K</c>); with a cached prior the items
/// are scored domain by domain. The updating prior is refused: it would make an item's score depend on the items before it.
/// </summary>
public sealed class MixtureChoiceScorer
{
    private readonly IReadOnlyList<ExpertScorer> experts;
    private readonly MixtureSettings settings;
    private readonly ITokenizer tokenizer;
    private readonly int contextLength;
    private readonly int vocabularySize;
    private readonly Func<string, CancellationToken, Task<IReadOnlyList<double>>>? cachedPrior;

    /// <summary>Scores over <paramref name="experts"/> mixed as <paramref name="settings"/> says.</summary>
    /// <param name="experts">The experts, in mixture order.</param>
    /// <param name="settings">uniform, cached or topk:K.</param>
    /// <param name="tokenizer">The experts' tokenizer.</param>
    /// <param name="contextLength">The experts' window.</param>
    /// <param name="vocabularySize">The experts' vocabulary size.</param>
    /// <param name="cachedPrior">
    /// Domain → its cached prior in mixture order (read from a manifest, or estimated); needed for cached and top-k. It
    /// throws <see cref="ArgumentException"/> when it has none for the domain.
    /// </param>
    /// <exception cref="ArgumentException">No experts, the updating prior, k larger than the mixture, or a cached mode without <paramref name="cachedPrior"/>.</exception>
    public MixtureChoiceScorer(IReadOnlyList<ExpertScorer> experts, MixtureSettings settings, ITokenizer tokenizer, int contextLength, int vocabularySize,
        Func<string, CancellationToken, Task<IReadOnlyList<double>>>? cachedPrior = null)
    {
        ArgumentNullException.ThrowIfNull(experts);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (experts.Count == 0) throw new ArgumentException("A mixture needs at least one expert.", nameof(experts));
        if (settings.Mode == PriorMode.Updating)
            throw new ArgumentException("The updating prior moves with the order of the items, so an item's score would depend on the items " +
                "before it; score multiple-choice tasks with uniform, cached or topk:K.");
        if (settings.TopK is { } k && (k < 1 || k > experts.Count))
            throw new ArgumentException($"Mixture {settings} asks for {k} experts; the mixture has {experts.Count}.");
        if (settings.Mode == PriorMode.Cached && cachedPrior is null)
            throw new ArgumentException($"Mixture {settings} needs the cached prior of each item's domain, and none was provided.", nameof(cachedPrior));
        this.experts = experts;
        this.settings = settings;
        this.tokenizer = tokenizer;
        this.contextLength = contextLength;
        this.vocabularySize = vocabularySize;
        this.cachedPrior = cachedPrior;
    }

    /// <summary>The prior each domain's items were scored with, in mixture order (key "" for a uniform mixture): filled by the last call.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> PriorsUsed { get; private set; } = new Dictionary<string, IReadOnlyList<double>>();

    /// <summary>Accuracy, interval and n of each method (see <see cref="MultipleChoiceEvaluation"/>).</summary>
    public Task<IReadOnlyList<MethodAccuracy>> EvaluateAsync(IReadOnlyList<ChoiceItem> items, IReadOnlyList<ScoringMethod> methods, int seed = 0,
        CancellationToken cancellationToken = default) =>
        MultipleChoiceEvaluation.EvaluateAsync(ScoreAsync, items, methods, seed, cancellationToken);

    /// <summary>Per item, each method's score of each choice under the mixture, in item order.</summary>
    /// <exception cref="ArgumentException">
    /// Anything <see cref="MultipleChoiceScorer"/> refuses, or, with a cached prior, an item without a domain or a domain
    /// without a cached prior. Every item's domain and prior is resolved before any item is scored; the other checks run per
    /// domain, and an error in any domain fails the whole call (no partial result is returned).
    /// </exception>
    public async Task<IReadOnlyList<ItemScores>> ScoreAsync(IReadOnlyList<ChoiceItem> items, IReadOnlyList<ScoringMethod> methods,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(methods);
        if (items.Count == 0) throw new ArgumentException("There are no items to score.", nameof(items));
        var groups = await GroupsAsync(items, cancellationToken).ConfigureAwait(false);
        var results = new ItemScores[items.Count];
        var used = new Dictionary<string, IReadOnlyList<double>>();
        foreach (var (domain, prior, indices) in groups)
        {
            var (chosen, weights) = settings.TopK is { } k
                ? MixtureMath.TopK(prior, k)
                : (Enumerable.Range(0, experts.Count).ToArray(), prior.ToArray());
            var scorer = new MixtureContinuationScorer([.. chosen.Select(i => experts[i])], weights, contextLength, vocabularySize);
            var scores = await new MultipleChoiceScorer(scorer, tokenizer).ScoreAsync([.. indices.Select(i => items[i])], methods, cancellationToken)
                .ConfigureAwait(false);
            for (var g = 0; g < indices.Count; g++) results[indices[g]] = scores[g];
            var full = new double[experts.Count];
            for (var c = 0; c < chosen.Length; c++) full[chosen[c]] = weights[c];
            used[domain] = full;
        }
        PriorsUsed = used;
        return results;
    }

    /// <summary>The items grouped by the prior they are scored with (one group for a uniform mixture), every prior resolved.</summary>
    private async Task<List<(string Domain, IReadOnlyList<double> Prior, List<int> Indices)>> GroupsAsync(IReadOnlyList<ChoiceItem> items,
        CancellationToken cancellationToken)
    {
        if (settings.Mode == PriorMode.Uniform)
            return [("", MixtureMath.Uniform(experts.Count), [.. Enumerable.Range(0, items.Count)])];
        var byDomain = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] ?? throw new ArgumentException($"Item {i} is null.", nameof(items));
            if (string.IsNullOrWhiteSpace(item.Domain))
                throw new ArgumentException($"{item.Where(i)}: mixture {settings} weighs the experts with the cached prior of the item's domain, " +
                    "and this item has no \"domain\"; give every item a domain or use --mixture uniform.");
            if (!byDomain.TryGetValue(item.Domain, out var indices))
            {
                byDomain[item.Domain] = indices = [];
                order.Add(item.Domain);
            }
            indices.Add(i);
        }
        var groups = new List<(string, IReadOnlyList<double>, List<int>)>();
        foreach (var domain in order)
        {
            var prior = await cachedPrior!(domain, cancellationToken).ConfigureAwait(false);
            if (prior.Count != experts.Count)
                throw new ArgumentException($"The cached prior of domain '{domain}' has {prior.Count} weights; the mixture has {experts.Count} experts.");
            groups.Add((domain, prior, byDomain[domain]));
        }
        return groups;
    }
}
