using MoeGrains.Model.Data;
using MoeGrains.Model.Tests.TestData;

namespace MoeGrains.Model.Tests.Data;

public sealed class TokenizedSplitTests : IDisposable
{
    private readonly TempCorpus corpus = new();
    private readonly ByteTokenizer bytes = new();

    public void Dispose() => corpus.Dispose();

    [Fact]
    public void Joins_documents_with_end_of_text_including_after_the_last()
    {
        corpus.Write("a", "train.txt", "ab\n\nc\nd\n");

        var split = TokenizedSplit.Create(DomainCorpus.Load(corpus.Directory), bytes, CorpusSplit.Train);

        int[] expected = ['a', 'b', 256, 'c', '\n', 'd', 256];
        Assert.Equal(expected, split.Stream("a").Tokens.ToArray());
        Assert.Equal(7, split.TotalTokens);
        Assert.Equal(CorpusSplit.Train, split.Split);
        Assert.Same(bytes, split.Tokenizer);
    }

    [Fact]
    public void Uses_the_tokenizers_end_of_text()
    {
        corpus.Write("a", "valid.txt", "Hello world\n\nHello\n");

        var split = TokenizedSplit.Create(DomainCorpus.Load(corpus.Directory), new Gpt2Tokenizer(), CorpusSplit.Valid);

        Assert.Equal([15496, 995, 50256, 15496, 50256], split.Stream("a").Tokens.ToArray());
    }

    [Fact]
    public void Leaves_out_domains_without_the_split_but_keeps_corpus_ids()
    {
        corpus.Write("a", "train.txt", "a\n").Write("b", "train.txt", "b\n").Write("c", "train.txt", "c\n");
        corpus.Write("c", "test.txt", "c\n");

        var split = TokenizedSplit.Create(DomainCorpus.Load(corpus.Directory), bytes, CorpusSplit.Test);

        var stream = Assert.Single(split.Streams);
        Assert.Equal("c", stream.Domain);
        Assert.Equal(2, stream.DomainId);
        Assert.Equal(["c"], split.Domains);
        Assert.Throws<ArgumentException>(() => split.Stream("a"));
    }

    [Fact]
    public void No_domain_with_the_split_throws()
    {
        corpus.Write("a", "train.txt", "a\n");

        var error = Assert.Throws<CorpusException>(
            () => TokenizedSplit.Create(DomainCorpus.Load(corpus.Directory), bytes, CorpusSplit.Valid));

        Assert.Contains("valid.txt", error.Message);
    }
}
