using static TorchSharp.torch;

namespace MoeGrains.Model.Inference;

/// <summary>
/// Per-token log-probabilities of given token sequences under any <see cref="LogitsSource"/>. A sequence longer than
/// the window + 1 is scored in consecutive windows that overlap by one token (the first token of each later window is
/// context only), as the perplexity evaluation does.
/// </summary>
public sealed class SequenceScorer(LogitsSource source)
{
    private readonly LogitsSource source = source ?? throw new ArgumentNullException(nameof(source));

    /// <summary>log p(tokens[i] | tokens[..i]) for i = 1 … n − 1 (n − 1 values, natural log).</summary>
    /// <exception cref="ArgumentException">Fewer than two tokens, or an id outside the vocabulary.</exception>
    public async Task<double[]> ScoreAsync(IReadOnlyList<int> tokens, CancellationToken cancellationToken = default)
    {
        source.Validate(tokens, nameof(tokens), 2, "sequence to score");
        var scores = new List<double>(tokens.Count - 1);
        for (var start = 0; start < tokens.Count - 1; start += source.ContextLength)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var length = Math.Min(source.ContextLength, tokens.Count - 1 - start);
            var inputs = Enumerable.Range(start, length).Select(i => (long)tokens[i]).ToArray();
            var targets = Enumerable.Range(start + 1, length).Select(i => (long)tokens[i]).ToArray();
            using var input = tensor(inputs, [1, length]);
            using var logits = await source.LogitsAsync(input, cancellationToken).ConfigureAwait(false);
            using var scope = NewDisposeScope();
            var logProbs = nn.functional.log_softmax(logits[0].to(ScalarType.Float64), 1); // [L, V]
            var picked = logProbs.gather(1, tensor(targets).unsqueeze(1).to(logProbs.device)).squeeze(1).cpu(); // [L]
            scores.AddRange(picked.data<double>().ToArray());
        }
        return [.. scores];
    }
}
