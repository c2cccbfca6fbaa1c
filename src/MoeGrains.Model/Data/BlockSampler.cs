using static TorchSharp.torch;

namespace MoeGrains.Model.Data;

/// <summary>
/// Draws training batches of random blocks: each row picks a domain, then a uniformly random offset
/// in that domain's stream, and copies <c>blockLength + 1</c> tokens. Deterministic for a given seed.
/// </summary>
public sealed class BlockSampler
{
    private readonly DomainTokenStream[] streams;
    private readonly long[] cumulativeTokens;
    private readonly Random random;

    /// <summary>Creates a sampler over every domain of <paramref name="data"/>.</summary>
    /// <param name="data">The tokenized split.</param>
    /// <param name="blockLength">L: rows hold L + 1 tokens (inputs and targets of length L).</param>
    /// <param name="seed">Seed of the <see cref="System.Random"/> that drives all choices.</param>
    /// <param name="sampling">How rows pick their domain.</param>
    /// <exception cref="ArgumentException">A domain's stream is shorter than L + 1 tokens.</exception>
    public BlockSampler(TokenizedSplit data, int blockLength, int seed, DomainSampling sampling = DomainSampling.Balanced)
        : this((data ?? throw new ArgumentNullException(nameof(data))).Streams, blockLength, seed, sampling, data.Split)
    {
    }

    /// <summary>Creates a sampler over token streams (a domain expert's branch samples its one stream).</summary>
    /// <exception cref="ArgumentException">A stream is shorter than L + 1 tokens.</exception>
    public BlockSampler(IReadOnlyList<DomainTokenStream> streams, int blockLength, int seed, DomainSampling sampling = DomainSampling.Balanced)
        : this(streams, blockLength, seed, sampling, CorpusSplit.Train)
    {
    }

    private BlockSampler(IReadOnlyList<DomainTokenStream> data, int blockLength, int seed, DomainSampling sampling, CorpusSplit split)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException("A block sampler needs at least one token stream.", nameof(data));
        ArgumentOutOfRangeException.ThrowIfLessThan(blockLength, 1);
        if (!Enum.IsDefined(sampling))
        {
            throw new ArgumentOutOfRangeException(nameof(sampling), sampling, "Unknown domain sampling.");
        }

        foreach (DomainTokenStream stream in data)
        {
            if (stream.Length < blockLength + 1)
            {
                throw new ArgumentException(
                    $"Domain '{stream.Domain}' has {stream.Length} {split} tokens, fewer than block length + 1 = {blockLength + 1}.",
                    nameof(blockLength));
            }
        }

        streams = [.. data];
        cumulativeTokens = new long[streams.Length];
        long total = 0;
        for (int i = 0; i < streams.Length; i++)
        {
            total += streams[i].Length;
            cumulativeTokens[i] = total;
        }

        BlockLength = blockLength;
        Sampling = sampling;
        random = new Random(seed);
    }

    /// <summary>L: the number of input (and target) positions per row.</summary>
    public int BlockLength { get; }

    /// <summary>How rows pick their domain.</summary>
    public DomainSampling Sampling { get; }

    /// <summary>Draws the next batch: Tokens long [batchSize, L + 1], Domains long [batchSize].</summary>
    public Batch Next(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int width = BlockLength + 1;
        var tokens = new long[(long)batchSize * width];
        var domains = new long[batchSize];
        for (int row = 0; row < batchSize; row++)
        {
            DomainTokenStream stream = streams[PickStream()];
            int offset = random.Next(stream.Length - BlockLength);
            int[] source = stream.Array;
            int rowStart = row * width;
            for (int i = 0; i < width; i++)
            {
                tokens[rowStart + i] = source[offset + i];
            }

            domains[row] = stream.DomainId;
        }

        return new Batch(tensor(tokens, [batchSize, width]), tensor(domains, [batchSize]));
    }

    private int PickStream()
    {
        if (Sampling == DomainSampling.Balanced)
        {
            return random.Next(streams.Length);
        }

        long position = random.NextInt64(cumulativeTokens[^1]);
        int index = Array.BinarySearch(cumulativeTokens, position + 1);
        return index >= 0 ? index : ~index;
    }
}
