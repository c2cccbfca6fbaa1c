using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace MoeGrains.Model.Inference;

/// <summary>
/// Autoregressive generation over any <see cref="LogitsSource"/>: greedy, temperature, top-k and top-p (nucleus)
/// sampling with a seed, streaming each new token as it is chosen. The context is left-truncated to the source's
/// window. Probabilities are computed in float64 on the CPU from the last position's logits, so a seed gives the same
/// text on every machine for the same logits.
/// </summary>
public sealed class TextGenerator(LogitsSource source)
{
    private readonly LogitsSource source = source ?? throw new ArgumentNullException(nameof(source));

    /// <summary>Generates up to <paramref name="maxNewTokens"/> tokens after <paramref name="prompt"/>.</summary>
    /// <exception cref="ArgumentException">The prompt is empty or has an id outside the vocabulary, or the options are invalid.</exception>
    public async IAsyncEnumerable<int> GenerateAsync(IReadOnlyList<int> prompt, int maxNewTokens, SamplingOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        source.Validate(prompt, nameof(prompt), 1, "prompt");
        ArgumentOutOfRangeException.ThrowIfNegative(maxNewTokens);
        options = (options ?? SamplingOptions.Greedy).Validate();
        var random = new Random(options.Seed);
        var context = new List<int>(prompt);
        for (var i = 0; i < maxNewTokens; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var window = context.Skip(Math.Max(0, context.Count - source.ContextLength)).Select(id => (long)id).ToArray();
            double[] logits;
            using (var tokens = tensor(window, [1, window.Length]))
            using (var output = await source.LogitsAsync(tokens, cancellationToken).ConfigureAwait(false))
            using (var last = output[0, -1].to(ScalarType.Float64).cpu())
                logits = last.data<double>().ToArray();
            var next = Choose(logits, options, random);
            context.Add(next);
            yield return next;
        }
    }

    /// <summary>Picks the next token from one position's logits.</summary>
    internal static int Choose(double[] logits, SamplingOptions options, Random random)
    {
        if (options.IsGreedy) return ArgMax(logits);
        var order = Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).ThenBy(i => i).ToArray();
        if (options.TopK > 0 && options.TopK < order.Length) order = order[..options.TopK];
        var max = logits[order[0]];
        var weights = order.Select(i => Math.Exp((logits[i] - max) / options.Temperature)).ToArray();
        var total = weights.Sum();
        var probabilities = weights.Select(w => w / total).ToArray();
        var kept = NucleusSize(probabilities, options.TopP);
        var keptTotal = probabilities.Take(kept).Sum();
        var u = random.NextDouble() * keptTotal;
        for (var k = 0; k < kept; k++)
        {
            u -= probabilities[k];
            if (u < 0) return order[k];
        }
        return order[kept - 1];
    }

    /// <summary>
    /// Top-p filtering of a distribution: the ids of the smallest set of most likely tokens whose cumulative
    /// probability reaches <paramref name="topP"/>, most likely first (ties to the lower id).
    /// </summary>
    /// <exception cref="ArgumentException">top-p is outside (0, 1].</exception>
    public static int[] NucleusFilter(IReadOnlyList<double> probabilities, double topP)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (!(topP > 0 && topP <= 1)) throw new ArgumentException($"TopP must be in (0, 1]; got {topP}.", nameof(topP));
        var order = Enumerable.Range(0, probabilities.Count).OrderByDescending(i => probabilities[i]).ThenBy(i => i).ToArray();
        return order[..NucleusSize([.. order.Select(i => probabilities[i])], topP)];
    }

    /// <summary>How many of the descending <paramref name="sorted"/> probabilities the nucleus keeps (at least one).</summary>
    private static int NucleusSize(double[] sorted, double topP)
    {
        if (topP >= 1) return sorted.Length;
        var cumulative = 0.0;
        for (var k = 0; k < sorted.Length; k++)
        {
            cumulative += sorted[k];
            if (cumulative >= topP) return k + 1;
        }
        return sorted.Length;
    }

    private static int ArgMax(double[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}
