using System.Text.Json;

namespace MoeGrains.Cli.Tests;

public sealed class BranchTrainEvalTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("moe-cli-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void Branch_training_writes_a_mixture_and_eval_mixture_reports_every_expert_and_draws_the_plots()
    {
        var output = Path.Combine(scratch, "demix");
        var train = MoeProcess.Run("train", "--in-process", "--branch", "--gate", "domain", "--config", "tiny", "--steps", "10",
            "--branch-steps", "5", "--batch", "4", "--hold-out", "wikipedia", "--out", output, "--no-eval");
        Assert.True(train.ExitCode == 0, train.StdErr + train.StdOut);
        foreach (var file in new[] { "shared/checkpoint.json", "experts/code/weights.bin", "experts/code/expert.json", "mixture.json", "metrics.jsonl", "loss.png" })
            Assert.True(File.Exists(Path.Combine(output, file)), $"{file} missing");
        Assert.False(Directory.Exists(Path.Combine(output, "experts", "wikipedia")), "the held-out domain has no expert");

        var eval = MoeProcess.Run("eval", "--checkpoint", output, "--mixture", "topk:2", "--split", "valid", "--prior-blocks", "10", "--json");
        Assert.True(eval.ExitCode == 0, eval.StdErr);
        using var json = JsonDocument.Parse(eval.StdOut);
        Assert.Equal("topk:2", json.RootElement.GetProperty("mixture").GetString());
        Assert.Equal(6, json.RootElement.GetProperty("experts").GetArrayLength());
        var wikipedia = json.RootElement.GetProperty("domains").GetProperty("wikipedia");
        Assert.Equal(wikipedia.GetProperty("topk").GetDouble(), wikipedia.GetProperty("ppl").GetDouble());
        Assert.Equal(6, wikipedia.GetProperty("experts").EnumerateObject().Count());
        Assert.Equal(1.0, wikipedia.GetProperty("prior").EnumerateObject().Sum(p => p.Value.GetDouble()), 9);
        foreach (var file in new[] { "eval-valid.json", "eval-valid-posterior.png", "eval-valid-experts.png" })
            Assert.True(new FileInfo(Path.Combine(output, file)) is { Exists: true, Length: > 1000 }, $"{file} missing or empty");

        var bad = MoeProcess.Run("eval", "--checkpoint", output, "--mixture", "topk:9");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("asks for 9 experts", bad.StdErr);
        var switchGate = MoeProcess.Run("train", "--in-process", "--branch", "--gate", "switch", "--config", "tiny", "--steps", "1", "--out", Path.Combine(scratch, "x"));
        Assert.Equal(2, switchGate.ExitCode);
        Assert.Contains("--gate switch is neither", switchGate.StdErr);
    }
}
