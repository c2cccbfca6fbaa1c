using MoeGrains.Model.Scoring;

namespace MoeGrains.Model.Inference;

/// <summary>
/// Per-token log-probabilities of given token sequences under any <see cref="LogitsSource"/>. A sequence longer than
/// the window + 1 is scored in consecutive windows that overlap by one token (the first token of each later window is
/// context only), as the perplexity evaluation does. The windows of all sequences of a call go through
/// <see cref="BatchedContinuationScorer"/>, several per forward; each window's result does not depend on the others.
/// </summary>
/// <param name="source">The logits function.</param>
/// <param name="rowsPerForward">Windows per forward call.</param>
/// <param name="forwardsInFlight">Forward calls started before the oldest is awaited (see <see cref="BatchedContinuationScorer"/>).</param>
public sealed class SequenceScorer(LogitsSource source, int rowsPerForward = BatchedContinuationScorer.DefaultRowsPerForward, int forwardsInFlight = 1)
{
    private readonly LogitsSource source = source ?? throw new ArgumentNullException(nameof(source));
    private readonly BatchedContinuationScorer scorer = new(source, rowsPerForward, forwardsInFlight);

    /// <summary>log p(tokens[i] | tokens[..i]) for i = 1 … n − 1 (n − 1 values, natural log).</summary>
    /// <exception cref="ArgumentException">Fewer than two tokens, or an id outside the vocabulary.</exception>
    public async Task<double[]> ScoreAsync(IReadOnlyList<int> tokens, CancellationToken cancellationToken = default) =>
        (await ScoreManyAsync([tokens], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>For each sequence, log p(tokens[i] | tokens[..i]) for i = 1 … n − 1, in order.</summary>
    /// <exception cref="ArgumentException">A sequence has fewer than two tokens or an id outside the vocabulary.</exception>
    public async Task<IReadOnlyList<double[]>> ScoreManyAsync(IReadOnlyList<IReadOnlyList<int>> sequences, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var windows = new List<ContinuationRequest>();
        var windowCounts = new int[sequences.Count];
        for (var s = 0; s < sequences.Count; s++)
        {
            var tokens = sequences[s];
            source.Validate(tokens, nameof(sequences), 2, sequences.Count == 1 ? "sequence to score" : $"sequence {s} to score");
            for (var start = 0; start < tokens.Count - 1; start += source.ContextLength)
            {
                var length = Math.Min(source.ContextLength, tokens.Count - 1 - start);
                windows.Add(new ContinuationRequest([tokens[start]], [.. tokens.Skip(start + 1).Take(length)]));
                windowCounts[s]++;
            }
        }

        var scores = await scorer.ScoreAsync(windows, cancellationToken).ConfigureAwait(false);
        var results = new double[sequences.Count][];
        var next = 0;
        for (var s = 0; s < sequences.Count; s++)
        {
            results[s] = [.. scores.Skip(next).Take(windowCounts[s]).SelectMany(w => w)];
            next += windowCounts[s];
        }
        return results;
    }
}
