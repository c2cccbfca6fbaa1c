using MoeGrains.Model.Data;
using static TorchSharp.torch;

namespace MoeGrains.Model.Domains;

/// <summary>
/// Estimates the domain posterior of some text: an <see cref="PriorMode.Updating"/> mixture run over (up to) a number of
/// its blocks; the final prior is the cached prior of that text, and its largest weight names the closest expert.
/// </summary>
public static class PriorEstimator
{
    /// <summary>The number of validation blocks DEMix estimates a cached prior on.</summary>
    public const int DefaultBlocks = 100;

    /// <summary>Runs the updating prior over the batches until <paramref name="maxBlocks"/> blocks were seen (the estimator disposes the batches it takes).</summary>
    public static async Task<double[]> EstimateAsync(IReadOnlyList<ExpertScorer> experts, IEnumerable<Batch> batches,
        int maxBlocks = DefaultBlocks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBlocks, 1);
        var mixture = new DomainMixture(experts, new MixtureSettings(PriorMode.Updating));
        var seen = 0;
        foreach (var batch in batches)
        {
            using (batch)
            {
                var rows = (int)Math.Min(batch.Tokens.shape[0], maxBlocks - seen);
                using var used = rows == batch.Tokens.shape[0] ? null : new Batch(batch.Tokens[..rows], batch.Domains[..rows]);
                using var _ = await mixture.ScoreAsync(used ?? batch, cancellationToken).ConfigureAwait(false);
                seen += rows;
            }
            if (seen >= maxBlocks) break;
        }
        if (seen == 0) throw new ArgumentException("The text has no block to estimate a posterior on.", nameof(batches));
        return [.. mixture.Prior];
    }

    /// <summary>
    /// The posterior of a token stream, estimated on <paramref name="maxBlocks"/> blocks of <paramref name="blockLength"/>
    /// targets from its start: consecutive blocks when the stream is long enough, otherwise blocks spread evenly over it
    /// (overlapping, at least one token apart), so that a short document still gives the prior as many updates.
    /// </summary>
    public static Task<double[]> EstimateAsync(IReadOnlyList<ExpertScorer> experts, DomainTokenStream stream, int blockLength,
        int batchSize, int maxBlocks = DefaultBlocks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBlocks, 1);
        return EstimateAsync(experts, SpreadBlocks(stream.Array, blockLength, batchSize, maxBlocks), maxBlocks, cancellationToken);
    }

    private static IEnumerable<Batch> SpreadBlocks(int[] tokens, int blockLength, int batchSize, int maxBlocks)
    {
        if (tokens.Length < 2) yield break;
        var width = Math.Min(blockLength + 1, tokens.Length);
        var lastStart = tokens.Length - width;
        var stride = Math.Clamp(lastStart / Math.Max(1, maxBlocks - 1), 1, blockLength);
        var starts = new List<int>();
        for (var start = 0; start <= lastStart && starts.Count < maxBlocks; start += stride) starts.Add(start);
        for (var first = 0; first < starts.Count; first += batchSize)
        {
            var rows = starts.Skip(first).Take(batchSize).ToArray();
            var values = new long[rows.Length * width];
            for (var r = 0; r < rows.Length; r++)
            for (var i = 0; i < width; i++)
                values[r * width + i] = tokens[rows[r] + i];
            yield return new Batch(tensor(values, [rows.Length, width]), zeros(rows.Length, ScalarType.Int64));
        }
    }
}
