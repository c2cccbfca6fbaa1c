using Microsoft.Extensions.Logging;
using MoeGrains.Model.Data;
using MoeGrains.Model.Tests.TestData;

namespace MoeGrains.Model.Tests.Data;

public sealed class DomainCorpusTests : IDisposable
{
    private readonly TempCorpus corpus = new();

    public void Dispose() => corpus.Dispose();

    [Fact]
    public void Parses_multi_line_documents_separated_by_one_blank_line()
    {
        corpus.Write("code", "train.txt", "def f():\n    return 1\n\nclass A:\n    pass\n    # end\n\nx = 1\n");

        var loaded = DomainCorpus.Load(corpus.Directory);

        Assert.Equal(["def f():\n    return 1", "class A:\n    pass\n    # end", "x = 1"], loaded.Documents("code", CorpusSplit.Train));
    }

    [Fact]
    public void Parses_a_file_without_final_newline_and_with_crlf_the_same()
    {
        corpus.Write("a", "train.txt", "one\ntwo\n\nthree");
        corpus.Write("b", "train.txt", "one\r\ntwo\r\n\r\nthree\r\n");

        var loaded = DomainCorpus.Load(corpus.Directory);

        Assert.Equal(["one\ntwo", "three"], loaded.Documents("a", CorpusSplit.Train));
        Assert.Equal(["one\ntwo", "three"], loaded.Documents("b", CorpusSplit.Train));
    }

    [Fact]
    public void Sorts_domains_ordinally_and_ids_are_indices()
    {
        corpus.Write("beta", "train.txt", "b\n").Write("Alpha", "train.txt", "a\n").Write("alpha", "train.txt", "a\n");

        var loaded = DomainCorpus.Load(corpus.Directory);

        Assert.Equal(["Alpha", "alpha", "beta"], loaded.Domains);
        Assert.Equal(2, loaded.DomainId("beta"));
        Assert.Equal(Path.GetFullPath(corpus.Directory), loaded.Directory);
    }

    [Fact]
    public void Unknown_domain_names_it()
    {
        corpus.Write("a", "train.txt", "x\n");
        var loaded = DomainCorpus.Load(corpus.Directory);

        var error = Assert.Throws<ArgumentException>(() => loaded.DomainId("zzz"));

        Assert.Contains("'zzz'", error.Message);
    }

    [Fact]
    public void Missing_folder_throws_naming_the_path()
    {
        string missing = Path.Combine(corpus.Directory, "nope");

        var error = Assert.Throws<CorpusException>(() => DomainCorpus.Load(missing));

        Assert.Contains("not found", error.Message);
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void Folder_without_domains_throws()
    {
        corpus.Folder("empty-domain").Write("notes", "readme.md", "hello\n");

        var error = Assert.Throws<CorpusException>(() => DomainCorpus.Load(corpus.Directory));

        Assert.Contains("no domain subfolders", error.Message);
        Assert.Contains(corpus.Directory, error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n\n")]
    [InlineData("   \n")]
    public void Domain_with_empty_split_file_throws(string content)
    {
        corpus.Write("good", "train.txt", "doc\n").Write("hollow", "train.txt", content);

        var error = Assert.Throws<CorpusException>(() => DomainCorpus.Load(corpus.Directory));

        Assert.Contains("domain 'hollow' has no documents in train.txt", error.Message);
        Assert.Contains(Path.Combine("hollow", "train.txt"), error.Message);
    }

    [Fact]
    public void Missing_split_is_skipped_with_a_warning_and_throws_when_asked_for()
    {
        corpus.Write("a", "train.txt", "a1\n").Write("a", "valid.txt", "a2\n").Write("a", "test.txt", "a3\n");
        corpus.Write("b", "train.txt", "b1\n").Write("b", "test.txt", "b3\n");
        var logger = new ListLogger();

        var loaded = DomainCorpus.Load(corpus.Directory, logger);

        Assert.Equal(["a", "b"], loaded.Domains);
        Assert.True(loaded.HasSplit("b", CorpusSplit.Train));
        Assert.False(loaded.HasSplit("b", CorpusSplit.Valid));
        Assert.Equal(["a2"], loaded.Documents("a", CorpusSplit.Valid));
        var warning = Assert.Single(logger.Messages);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("'b'", warning.Text);
        Assert.Contains("valid.txt", warning.Text);
        var error = Assert.Throws<CorpusException>(() => loaded.Documents("b", CorpusSplit.Valid));
        Assert.Contains("'b' has no valid.txt", error.Message);
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Text)> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Messages.Add((logLevel, formatter(state, exception)));
    }
}
