using System.Diagnostics;

namespace MoeGrains.Cli.Tests;

/// <summary>The <c>moe</c> process exports telemetry only when the environment asks, and refuses bad settings by name.</summary>
public sealed class TelemetryTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("moe-cli-telemetry-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void Console_exporter_prints_moegrains_metrics_only_when_asked()
    {
        string[] train = ["train", "--in-process", "--config", "tiny", "--steps", "2", "--batch", "2", "--no-eval"];

        var asked = Run(new() { ["MoeGrains__Telemetry__Console__Enabled"] = "true" }, [.. train, "--out", Path.Combine(scratch, "asked")]);
        var quiet = Run([], [.. train, "--out", Path.Combine(scratch, "quiet")]);

        Assert.True(asked.ExitCode == 0, asked.StdErr);
        Assert.Contains("moegrains.training.tokens", asked.StdOut);
        Assert.Contains("moegrains.expert.tokens", asked.StdOut);
        Assert.True(quiet.ExitCode == 0, quiet.StdErr);
        Assert.DoesNotContain("moegrains.", quiet.StdOut);
    }

    [Fact]
    public void A_bad_telemetry_setting_is_refused_naming_the_key()
    {
        var result = Run(new() { ["MoeGrains__Telemetry__Prometheus__Enabled"] = "true", ["MoeGrains__Telemetry__Prometheus__Port"] = "70000" },
            ["experts", "list", "--model", "x"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("MoeGrains:Telemetry:Prometheus:Port=70000", result.StdErr);
    }

    private MoeProcess.Result Run(Dictionary<string, string> environment, string[] args)
    {
        var start = MoeProcess.StartInfo(scratch, args);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"moe {string.Join(' ', args)} did not finish in 3 minutes");
        }
        return new MoeProcess.Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
