using System.Text.Json;

namespace MoeGrains.Cli.Tests;

public sealed class PipelineCommandTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("moe-cli-pipeline-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void A_bad_pipeline_file_lists_every_problem_with_its_line_and_nothing_starts()
    {
        var file = Path.Combine(scratch, "bad.yaml");
        File.WriteAllText(file, $"model:\n  name: demo\ndatasets:\n  s:\n    path: {MoeProcess.SampleCorpus}\nstages:\n  - stage: seed\n    stepz: 3\n  - stage: publish\n    when: now\n");

        var result = MoeProcess.RunIn(scratch, "pipeline", "run", file);

        Assert.Equal(2, result.ExitCode);
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("moe: error: Pipeline 'bad.yaml' has 3 problems", lines[0]);
        Assert.Contains(lines, line => line.Contains("line 8") && line.Contains("'stages[0].stepz'"));
        Assert.Contains(lines, line => line.Contains("line 10") && line.Contains("'stages[1].when'"));
        Assert.False(Directory.Exists(Path.Combine(scratch, ".moegrains")), "a silo started for an invalid pipeline");
    }

    [Fact]
    public void A_run_on_the_embedded_silo_completes_and_its_status_survives_the_process()
    {
        var file = Path.Combine(scratch, "seed.yaml");
        File.WriteAllText(file, $"model:\n  name: cli-seeded\n  config: tiny\n  gate: switch\ndatasets:\n  sample:\n    path: {MoeProcess.SampleCorpus}\n" +
            "stages:\n  - stage: seed\n    steps: 3\n    batch: 2\n");

        var run = MoeProcess.RunIn(scratch, "pipeline", "run", file, "--run-id", "cli-run");
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.StdErr}\n{run.StdOut}");
        Assert.Contains("Completed", run.StdOut);

        var status = MoeProcess.RunIn(scratch, "pipeline", "status", "cli-run", "--json");
        Assert.True(status.ExitCode == 0, status.StdErr);
        using var json = JsonDocument.Parse(status.StdOut);
        Assert.Equal("completed", json.RootElement.GetProperty("state").GetString());
        var stage = json.RootElement.GetProperty("stages")[0];
        Assert.Equal(("seed", "completed"), (stage.GetProperty("kind").GetString(), stage.GetProperty("state").GetString()));

        var unknown = MoeProcess.RunIn(scratch, "pipeline", "status", "no-such-run");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("'no-such-run'", unknown.StdErr);
    }
}
