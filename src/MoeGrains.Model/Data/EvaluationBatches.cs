using static TorchSharp.torch;

namespace MoeGrains.Model.Data;

/// <summary>
/// Cuts one domain's stream into contiguous evaluation blocks so that every token after the first is
/// a target exactly once.
/// </summary>
/// <remarks>
/// <para>For a stream of N tokens and block length L: full blocks start at 0, L, 2L, ... and hold
/// L + 1 tokens (block k covers tokens kL .. kL + L), so consecutive blocks share one token: the last
/// target of a block is the first input of the next. There are K = (N − 1) / L full blocks (integer
/// division), grouped in batches of up to <c>batchSize</c> rows ([rows, L + 1]).</para>
/// <para>If r = (N − 1) − K·L is not zero, the remaining r + 1 tokens (from KL to the end, r + 1 ≤ L)
/// form one last block in its own batch of shape [1, r + 1].</para>
/// <para>Each batch has rows × (columns − 1) targets; summed over all batches this is exactly N − 1
/// (see <see cref="TargetCount"/>), which is the token count to divide the summed loss by for perplexity.
/// A stream shorter than 2 tokens yields nothing.</para>
/// </remarks>
public static class EvaluationBatches
{
    /// <summary>The number of targets all batches of a stream of <paramref name="streamLength"/> tokens hold: N − 1.</summary>
    public static long TargetCount(int streamLength) => Math.Max(0, streamLength - 1);

    /// <summary>Yields the evaluation batches of one domain; the caller disposes each batch.</summary>
    /// <param name="data">The tokenized split.</param>
    /// <param name="domain">A domain of <paramref name="data"/>.</param>
    /// <param name="blockLength">L: targets per full block.</param>
    /// <param name="batchSize">Rows per batch of full blocks.</param>
    /// <exception cref="ArgumentException">The domain is not part of the split.</exception>
    public static IEnumerable<Batch> Enumerate(TokenizedSplit data, string domain, int blockLength, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        DomainTokenStream stream = data.Stream(domain);
        return EnumerateStream(stream, blockLength, batchSize);
    }

    /// <summary>Yields the evaluation batches of one token stream; the caller disposes each batch.</summary>
    public static IEnumerable<Batch> Enumerate(DomainTokenStream stream, int blockLength, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return EnumerateStream(stream, blockLength, batchSize);
    }

    private static IEnumerable<Batch> EnumerateStream(DomainTokenStream stream, int blockLength, int batchSize)
    {
        int[] tokens = stream.Array;
        int fullBlocks = stream.Length < 2 ? 0 : (stream.Length - 1) / blockLength;
        for (int first = 0; first < fullBlocks; first += batchSize)
        {
            int rows = Math.Min(batchSize, fullBlocks - first);
            yield return MakeBatch(tokens, first * blockLength, rows, blockLength, blockLength + 1, stream.DomainId);
        }

        int tailStart = fullBlocks * blockLength;
        int tailLength = stream.Length - tailStart;
        if (tailLength >= 2)
        {
            yield return MakeBatch(tokens, tailStart, 1, blockLength, tailLength, stream.DomainId);
        }
    }

    private static Batch MakeBatch(int[] tokens, int start, int rows, int stride, int width, int domainId)
    {
        var values = new long[(long)rows * width];
        for (int row = 0; row < rows; row++)
        {
            int source = start + (row * stride);
            for (int i = 0; i < width; i++)
            {
                values[(row * width) + i] = tokens[source + i];
            }
        }

        var domains = new long[rows];
        Array.Fill(domains, domainId);
        return new Batch(tensor(values, [rows, width]), tensor(domains, [rows]));
    }
}
