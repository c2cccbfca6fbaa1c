using System.Text.Json;

namespace MoeGrains.Cli.Tests;

/// <summary><c>moe train</c> through grains in an embedded silo, and its agreement with <c>--in-process</c>.</summary>
public sealed class GrainTrainTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("moe-cli-grains-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void Embedded_train_writes_metrics_and_plot_prints_the_table_and_matches_in_process_losses()
    {
        var grains = Path.Combine(scratch, "grains");
        var train = MoeProcess.RunIn(scratch, "train", "--config", "tiny", "--steps", "20", "--batch", "4", "--seed", "11", "--out", grains);
        Assert.True(train.ExitCode == 0, train.StdErr + train.StdOut);
        Assert.True(File.Exists(Path.Combine(grains, "loss.png")), "loss.png missing");
        Assert.True(Directory.Exists(Path.Combine(scratch, ".moegrains", "store", "models", "switch-tiny")), "the model is not in ./.moegrains/store");
        foreach (var domain in Directory.GetDirectories(MoeProcess.SampleCorpus).Select(Path.GetFileName))
            Assert.Contains(domain!, train.StdOut);
        Assert.Contains("overall", train.StdOut);

        var inProcess = Path.Combine(scratch, "in-process");
        var reference = MoeProcess.RunIn(scratch, "train", "--in-process", "--config", "tiny", "--steps", "20", "--batch", "4", "--seed", "11", "--out", inProcess, "--no-eval");
        Assert.True(reference.ExitCode == 0, reference.StdErr);

        var expected = Losses(inProcess);
        var actual = Losses(grains);
        Assert.Equal([10, 20], expected.Keys);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (step, loss) in expected)
            Assert.True(Math.Abs(actual[step] - loss) <= 1e-5 * Math.Abs(loss), $"step {step}: grains {actual[step]:R}, in-process {loss:R}");

        // The same name again: a default name is numbered, an explicit one is refused unless --resume.
        var again = MoeProcess.RunIn(scratch, "train", "--config", "tiny", "--steps", "1", "--batch", "2", "--model", "switch-tiny", "--no-eval");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("'switch-tiny' already exists", again.StdErr);
    }

    private static SortedDictionary<int, double> Losses(string folder)
    {
        var losses = new SortedDictionary<int, double>();
        foreach (var line in File.ReadAllLines(Path.Combine(folder, "metrics.jsonl")))
        {
            using var json = JsonDocument.Parse(line);
            losses[json.RootElement.GetProperty("step").GetInt32()] = json.RootElement.GetProperty("loss").GetDouble();
        }
        return losses;
    }
}
