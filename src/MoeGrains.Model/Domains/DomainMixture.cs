using MoeGrains.Model.Data;
using static TorchSharp.torch;

namespace MoeGrains.Model.Domains;

/// <summary>
/// A mixture of domain experts over one stream of text: each batch asks the experts in use for their target
/// log-probabilities concurrently and mixes them with <see cref="MixtureMath"/>. Holds the prior, which an
/// <see cref="PriorMode.Updating"/> mixture moves after every <see cref="MixtureMath.PriorUpdateRows"/> rows, in row order;
/// not thread-safe.
/// </summary>
public sealed class DomainMixture
{
    private readonly IReadOnlyList<ExpertScorer> experts;
    private readonly MixtureSettings settings;
    private double[] prior;

    /// <summary>Creates a mixture of <paramref name="experts"/>.</summary>
    /// <param name="experts">At least one expert, names distinct.</param>
    /// <param name="settings">Prior mode and top-k.</param>
    /// <param name="cachedPrior">The prior for <see cref="PriorMode.Cached"/> (one weight per expert).</param>
    /// <exception cref="ArgumentException">No experts, a cached mode without a prior of the right length, or k too large.</exception>
    public DomainMixture(IReadOnlyList<ExpertScorer> experts, MixtureSettings settings, IReadOnlyList<double>? cachedPrior = null)
    {
        ArgumentNullException.ThrowIfNull(experts);
        ArgumentNullException.ThrowIfNull(settings);
        if (experts.Count == 0) throw new ArgumentException("A mixture needs at least one expert.", nameof(experts));
        if (settings.TopK is not null && settings.Mode == PriorMode.Updating)
            throw new ArgumentException("Top-k keeps the k experts of a fixed prior (cached or uniform); an updating prior mixes every expert.", nameof(settings));
        if (settings.TopK is { } k && (k < 1 || k > experts.Count))
            throw new ArgumentException($"Top-{k} needs between 1 and {experts.Count} experts (the mixture has {experts.Count}).", nameof(settings));
        this.experts = experts;
        this.settings = settings;
        prior = settings.Mode switch
        {
            PriorMode.Cached => CheckedPrior(cachedPrior ?? throw new ArgumentException("A cached-prior mixture needs the cached prior.", nameof(cachedPrior)), experts.Count),
            _ => MixtureMath.Uniform(experts.Count),
        };
    }

    /// <summary>The experts' names, in mixture order.</summary>
    public IReadOnlyList<string> Experts => [.. experts.Select(expert => expert.Name)];

    /// <summary>The current prior, one weight per expert.</summary>
    public IReadOnlyList<double> Prior => prior;

    /// <summary>Expert evaluations so far (k per batch for top-k, E otherwise): the mixture's cost.</summary>
    public long ExpertCalls { get; private set; }

    /// <summary>log p_mix of every target of <paramref name="batch"/>, float64 [B, L] on the CPU; updates an updating prior.</summary>
    public async Task<Tensor> ScoreAsync(Batch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (indices, localPrior) = settings.TopK is { } k
            ? MixtureMath.TopK(prior, k)
            : (Enumerable.Range(0, experts.Count).ToArray(), prior);
        var logProbs = await Task.WhenAll(indices.Select(i => experts[i].LogProbs(batch, cancellationToken))).ConfigureAwait(false);
        ExpertCalls += indices.Length;
        try
        {
            using var scope = NewDisposeScope();
            var stacked = stack(logProbs);
            if (settings.Mode != PriorMode.Updating) return MixtureMath.Mix(stacked, tensor(localPrior)).MixedLogProbs.MoveToOuterDisposeScope();
            var (mixed, next) = MixtureMath.MixUpdating(stacked, prior);
            prior = next;
            return mixed.MoveToOuterDisposeScope();
        }
        finally
        {
            foreach (var tensor in logProbs) tensor.Dispose();
        }
    }

    /// <summary>
    /// log p_mix(tokens[i] | tokens[..i]) for i = 1 … n − 1, scored in windows of <paramref name="contextLength"/> that
    /// overlap by one token, as <see cref="Inference.SequenceScorer"/> does; each window is one batch of the mixture.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two tokens.</exception>
    public async Task<double[]> ScoreSequenceAsync(IReadOnlyList<int> tokens, int contextLength, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Count < 2) throw new ArgumentException($"The sequence to score needs at least 2 tokens (got {tokens.Count}).", nameof(tokens));
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 1);
        var scores = new List<double>(tokens.Count - 1);
        for (var start = 0; start < tokens.Count - 1; start += contextLength)
        {
            var length = Math.Min(contextLength, tokens.Count - 1 - start);
            var window = Enumerable.Range(start, length + 1).Select(i => (long)tokens[i]).ToArray();
            using var batch = new Batch(tensor(window, [1, length + 1]), zeros(1, ScalarType.Int64));
            using var mixed = await ScoreAsync(batch, cancellationToken).ConfigureAwait(false);
            scores.AddRange(mixed[0].data<double>().ToArray());
        }
        return [.. scores];
    }

    private static double[] CheckedPrior(IReadOnlyList<double> prior, int experts)
    {
        if (prior.Count != experts)
            throw new ArgumentException($"The cached prior has {prior.Count} weights; the mixture has {experts} experts.", nameof(prior));
        if (prior.Any(p => !(p > 0) || double.IsInfinity(p)))
            throw new ArgumentException("Every cached prior weight must be a positive number.", nameof(prior));
        var sum = prior.Sum();
        return [.. prior.Select(p => p / sum)];
    }
}
