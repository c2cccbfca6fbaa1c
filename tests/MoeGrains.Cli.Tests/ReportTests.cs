using System.Text.Json;

namespace MoeGrains.Cli.Tests;

/// <summary><c>moe report</c> on a model trained through grains (embedded silo) and on an in-process run folder.</summary>
public sealed class ReportTests : IDisposable
{
    private static readonly string[] ExpectedPlots = ["loss.png", "expert-load-layer-0.png", "expert-load-layer-1.png", "overflow.png"];
    private readonly string scratch = Directory.CreateTempSubdirectory("moe-cli-report-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void Report_on_a_model_plots_every_run_and_each_moe_layer()
    {
        var store = Path.Combine(scratch, "store");
        foreach (var (steps, extra) in new[] { ("6", Array.Empty<string>()), ("4", ["--model", "switch-tiny", "--resume"]) })
        {
            var train = MoeProcess.RunIn(scratch, [
                "train", "--config", "tiny", "--gate", "switch", "--steps", steps, "--batch", "2", "--store", store, "--no-eval",
                "--checkpoint-every", "2", "--out", Path.Combine(scratch, $"run-{steps}"), .. extra]);
            Assert.True(train.ExitCode == 0, train.StdErr + train.StdOut);
        }

        var output = Path.Combine(scratch, "report");
        var report = MoeProcess.RunIn(scratch, "report", "--model", "switch-tiny", "--store", store, "--out", output);

        Assert.True(report.ExitCode == 0, report.StdErr + report.StdOut);
        AssertPngs(output);
        foreach (var plot in ExpectedPlots) Assert.Contains(plot, report.StdOut);
    }

    [Fact]
    public void Report_on_an_in_process_run_reads_its_metrics_file()
    {
        var run = Path.Combine(scratch, "run");
        var train = MoeProcess.RunIn(scratch, "train", "--in-process", "--config", "tiny", "--gate", "switch", "--steps", "20", "--batch", "2", "--out", run, "--no-eval");
        Assert.True(train.ExitCode == 0, train.StdErr);
        var lines = File.ReadAllLines(Path.Combine(run, "metrics.jsonl"));
        using (var first = JsonDocument.Parse(lines[0]))
            Assert.Equal(4, first.RootElement.GetProperty("layers")[0].GetProperty("expertTokens").GetArrayLength()); // per-expert counts logged

        var report = MoeProcess.RunIn(scratch, "report", "--run", run);

        Assert.True(report.ExitCode == 0, report.StdErr + report.StdOut);
        AssertPngs(Path.Combine(run, "report"));
    }

    [Theory]
    [InlineData("moe report needs exactly one of --model NAME and --run DIR", "report")]
    [InlineData("has no metrics.jsonl", "report", "--run", ".")]
    [InlineData("Unknown model 'nobody'", "report", "--model", "nobody", "--store", "store")]
    public void Bad_report_requests_are_refused_with_one_line(string expected, params string[] args)
    {
        var result = MoeProcess.RunIn(scratch, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StdErr + result.StdOut);
    }

    private static void AssertPngs(string folder)
    {
        foreach (var plot in ExpectedPlots)
        {
            var path = Path.Combine(folder, plot);
            Assert.True(File.Exists(path), $"{plot} missing in {folder}");
            var bytes = File.ReadAllBytes(path);
            Assert.True(bytes.Length > 1000, $"{plot} has only {bytes.Length} bytes");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        }
    }
}
