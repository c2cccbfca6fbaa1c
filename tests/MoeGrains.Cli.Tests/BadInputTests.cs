namespace MoeGrains.Cli.Tests;

public sealed class BadInputTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("moe-cli-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    private static void AssertOneErrorLine(MoeProcess.Result result, string expected)
    {
        Assert.NotEqual(0, result.ExitCode);
        var errorLines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("moe: error:")).ToList();
        Assert.True(errorLines.Count == 1, $"expected one 'moe: error:' line, got stderr:\n{result.StdErr}\nstdout:\n{result.StdOut}");
        Assert.Contains(expected, errorLines[0]);
    }

    [Fact]
    public void Missing_corpus_folder() =>
        AssertOneErrorLine(MoeProcess.Run("train", "--corpus", Path.Combine(scratch, "nowhere"), "--config", "tiny", "--steps", "1"), "nowhere");

    [Fact]
    public void Empty_corpus_folder()
    {
        var empty = Directory.CreateDirectory(Path.Combine(scratch, "empty")).FullName;
        AssertOneErrorLine(MoeProcess.Run("train", "--corpus", empty, "--config", "tiny", "--steps", "1"), "empty");
    }

    [Fact]
    public void Domain_with_no_documents()
    {
        var corpus = Path.Combine(scratch, "corpus");
        Directory.CreateDirectory(Path.Combine(corpus, "news"));
        Directory.CreateDirectory(Path.Combine(corpus, "law"));
        File.WriteAllText(Path.Combine(corpus, "news", "train.txt"), "A real document.\nWith two lines.\n\nAnother one.\n");
        File.WriteAllText(Path.Combine(corpus, "law", "train.txt"), "\n\n");
        AssertOneErrorLine(MoeProcess.Run("train", "--corpus", corpus, "--config", "tiny", "--steps", "1"), "law");
    }

    [Theory]
    [InlineData("--gate", "sparse", "'sparse'")]
    [InlineData("--config", "huge", "'huge'")]
    [InlineData("--tokenizer", "sentencepiece", "'sentencepiece'")]
    public void Unknown_names_are_named(string option, string value, string expected) =>
        AssertOneErrorLine(MoeProcess.Run("train", option, value, "--steps", "1", "--out", Path.Combine(scratch, "out")), expected);

    [Fact]
    public void Eval_of_a_folder_that_is_not_a_checkpoint() =>
        AssertOneErrorLine(MoeProcess.Run("eval", "--checkpoint", scratch, "--split", "valid"), "is not a checkpoint");

    [Fact]
    public void Eval_of_an_unknown_split()
    {
        AssertOneErrorLine(MoeProcess.Run("eval", "--checkpoint", scratch, "--split", "dev"), "'dev'");
    }

    [Fact]
    public void Cluster_at_a_closed_port_is_named()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        var result = MoeProcess.Run("train", "--cluster", $"127.0.0.1:{port}", "--config", "tiny", "--steps", "1");
        AssertOneErrorLine(result, $"127.0.0.1:{port}");
        Assert.Equal(3, result.ExitCode);
    }

    [Fact]
    public void Unknown_model_is_named()
    {
        var result = MoeProcess.Run("eval", "--model", "nobody-here", "--store", Path.Combine(scratch, "store"), "--json");
        AssertOneErrorLine(result, "'nobody-here'");
        Assert.Equal("", result.StdOut);
    }

    [Fact]
    public void Score_tasks_refuses_a_missing_task_file_and_both_model_and_checkpoint()
    {
        AssertOneErrorLine(MoeProcess.Run("score", "--checkpoint", scratch, "--tasks", Path.Combine(scratch, "tasks.jsonl")), "does not exist");
        AssertOneErrorLine(MoeProcess.Run("score", "--model", "m", "--checkpoint", scratch, "--tasks", "x.jsonl"), "either --checkpoint");
    }
}
