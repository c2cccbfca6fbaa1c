using System.Text.Json;

namespace MoeGrains.Cli.Tests;

public sealed class TrainEvalTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("moe-cli-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void Train_writes_checkpoint_metrics_and_plot_and_eval_json_has_every_domain()
    {
        var output = Path.Combine(scratch, "run");
        var train = MoeProcess.Run("train", "--in-process", "--config", "tiny", "--gate", "top2", "--steps", "20", "--batch", "4", "--out", output, "--no-eval");
        Assert.True(train.ExitCode == 0, train.StdErr + train.StdOut);
        foreach (var file in new[] { "config.json", "weights.bin", "checkpoint.json", "metrics.jsonl", "loss.png" })
            Assert.True(File.Exists(Path.Combine(output, file)), $"{file} missing");
        var metricLines = File.ReadAllLines(Path.Combine(output, "metrics.jsonl"));
        Assert.Equal(2, metricLines.Length); // logged every 10 steps
        using (var first = JsonDocument.Parse(metricLines[0]))
            foreach (var key in new[] { "loss", "auxLoss", "overflowPercent", "gateEntropy", "tokensPerSecond" })
                Assert.True(first.RootElement.TryGetProperty(key, out _), $"metrics.jsonl has no {key}");

        var eval = MoeProcess.Run("eval", "--checkpoint", output, "--split", "valid", "--json");
        Assert.True(eval.ExitCode == 0, eval.StdErr);
        using var json = JsonDocument.Parse(eval.StdOut); // exactly one JSON object: Parse fails on trailing content
        var domains = json.RootElement.GetProperty("domains");
        var names = domains.EnumerateObject().Select(d => d.Name).ToList();
        Assert.Equal(Directory.GetDirectories(MoeProcess.SampleCorpus).Select(Path.GetFileName).Order(StringComparer.Ordinal), names);
        long total = 0;
        foreach (var domain in domains.EnumerateObject())
        {
            Assert.True(domain.Value.GetProperty("ppl").GetDouble() is > 1 and < 258);
            total += domain.Value.GetProperty("tokens").GetInt64();
        }
        Assert.Equal(total, json.RootElement.GetProperty("overall").GetProperty("tokens").GetInt64());

        var again = MoeProcess.Run("train", "--in-process", "--config", "tiny", "--steps", "1", "--out", output);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already holds a checkpoint", again.StdErr);
    }
}
