using MoeGrains.Model.Data;
using MoeGrains.Model.Tests.TestData;

namespace MoeGrains.Model.Tests.Data;

public sealed class SampleCorpusTests
{
    [Fact]
    public void Loads_seven_domains_with_all_three_splits()
    {
        var corpus = DomainCorpus.Load(SampleCorpus.Path);

        Assert.Equal(["biomedical", "code", "literature", "religion", "speeches", "techdocs", "wikipedia"], corpus.Domains);
        foreach (string domain in corpus.Domains)
        {
            foreach (CorpusSplit split in Enum.GetValues<CorpusSplit>())
            {
                Assert.True(corpus.HasSplit(domain, split), $"{domain} lacks {split}");
                Assert.NotEmpty(corpus.Documents(domain, split));
            }
        }
    }

    [Fact]
    public void Byte_tokenized_train_split_supports_sampling_long_blocks()
    {
        var corpus = DomainCorpus.Load(SampleCorpus.Path);
        var train = TokenizedSplit.Create(corpus, new ByteTokenizer(), CorpusSplit.Train);
        var sampler = new BlockSampler(train, blockLength: 256, seed: 1);

        using Batch batch = sampler.Next(4);

        Assert.Equal(7, train.Streams.Count);
        Assert.All(train.Streams, stream => Assert.InRange(stream.Length, 150_000, 210_000));
        Assert.Equal([4L, 257L], batch.Tokens.shape);
    }
}
