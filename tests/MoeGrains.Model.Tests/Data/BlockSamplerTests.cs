using MoeGrains.Model.Data;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Data;

public sealed class BlockSamplerTests
{
    [Fact]
    public void Batch_shapes_and_rows_are_contiguous_slices_of_their_domain()
    {
        TokenizedSplit data = Split(("a", 0, Enumerable.Range(0, 100)), ("b", 3, Enumerable.Range(1000, 50)));
        var sampler = new BlockSampler(data, blockLength: 8, seed: 7);

        using Batch batch = sampler.Next(16);

        Assert.Equal([16L, 9L], batch.Tokens.shape);
        Assert.Equal([16L], batch.Domains.shape);
        Assert.Equal(ScalarType.Int64, batch.Tokens.dtype);
        Assert.Equal(ScalarType.Int64, batch.Domains.dtype);
        long[] tokens = batch.Tokens.data<long>().ToArray();
        long[] domains = batch.Domains.data<long>().ToArray();
        for (int row = 0; row < 16; row++)
        {
            long first = tokens[row * 9];
            Assert.Equal(first < 1000 ? 0 : 3, domains[row]);
            for (int i = 1; i < 9; i++)
            {
                Assert.Equal(first + i, tokens[(row * 9) + i]);
            }
        }
    }

    [Fact]
    public void Offsets_reach_both_ends_of_the_stream()
    {
        var sampler = new BlockSampler(Split(("a", 0, Enumerable.Range(0, 12))), blockLength: 8, seed: 3);

        using Batch batch = sampler.Next(200);

        long[] firsts = batch.Tokens[.., 0].data<long>().ToArray();
        Assert.Equal([0L, 1L, 2L, 3L], firsts.Distinct().Order());
    }

    [Fact]
    public void Balanced_sampling_is_roughly_uniform_over_domains()
    {
        TokenizedSplit data = Split(
            ("small", 0, Enumerable.Range(0, 20)),
            ("medium", 1, Enumerable.Range(0, 2_000)),
            ("large", 2, Enumerable.Range(0, 200_000)));
        var sampler = new BlockSampler(data, blockLength: 4, seed: 11);

        int[] counts = CountDomains(sampler, 3, rows: 6_000);

        Assert.All(counts, count => Assert.InRange(count, 1_800, 2_200));
    }

    [Fact]
    public void Proportional_sampling_follows_token_counts()
    {
        TokenizedSplit data = Split(("a", 0, Enumerable.Range(0, 1_000)), ("b", 1, Enumerable.Range(0, 9_000)));
        var sampler = new BlockSampler(data, blockLength: 4, seed: 11, DomainSampling.Proportional);

        int[] counts = CountDomains(sampler, 2, rows: 10_000);

        Assert.InRange(counts[0], 850, 1_150);
        Assert.InRange(counts[1], 8_850, 9_150);
    }

    [Fact]
    public void Same_seed_gives_identical_batches_and_different_seeds_differ()
    {
        TokenizedSplit data = Split(("a", 0, Enumerable.Range(0, 500)), ("b", 1, Enumerable.Range(500, 500)));
        var first = new BlockSampler(data, 16, seed: 42);
        var second = new BlockSampler(data, 16, seed: 42);
        var other = new BlockSampler(data, 16, seed: 43);

        for (int step = 0; step < 3; step++)
        {
            using Batch a = first.Next(8);
            using Batch b = second.Next(8);
            using Batch c = other.Next(8);
            Assert.Equal(a.Tokens.data<long>().ToArray(), b.Tokens.data<long>().ToArray());
            Assert.Equal(a.Domains.data<long>().ToArray(), b.Domains.data<long>().ToArray());
            Assert.NotEqual(a.Tokens.data<long>().ToArray(), c.Tokens.data<long>().ToArray());
        }
    }

    [Fact]
    public void Stream_shorter_than_a_block_names_the_domain()
    {
        TokenizedSplit data = Split(("long", 0, Enumerable.Range(0, 100)), ("tiny", 1, Enumerable.Range(0, 8)));

        var error = Assert.Throws<ArgumentException>(() => new BlockSampler(data, blockLength: 8, seed: 1));

        Assert.Contains("'tiny'", error.Message);
        _ = new BlockSampler(data, blockLength: 7, seed: 1);
    }

    private static int[] CountDomains(BlockSampler sampler, int domainCount, int rows)
    {
        var counts = new int[domainCount];
        using Batch batch = sampler.Next(rows);
        foreach (long domain in batch.Domains.data<long>().ToArray())
        {
            counts[domain]++;
        }

        return counts;
    }

    private static TokenizedSplit Split(params (string Domain, int Id, IEnumerable<int> Tokens)[] streams)
        => new(CorpusSplit.Train, new ByteTokenizer(), streams.Select(s => new DomainTokenStream(s.Domain, s.Id, [.. s.Tokens])));
}
