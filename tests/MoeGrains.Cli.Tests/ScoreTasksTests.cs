using System.Text.Json;

namespace MoeGrains.Cli.Tests;

public sealed class ScoreTasksTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("moe-cli-score-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void Score_checkpoint_tasks_all_json_reports_every_method_with_interval_and_n()
    {
        var checkpoint = Path.Combine(scratch, "run");
        var train = MoeProcess.Run("train", "--in-process", "--config", "tiny", "--gate", "switch", "--steps", "20", "--batch", "4", "--out", checkpoint, "--no-eval");
        Assert.True(train.ExitCode == 0, train.StdErr + train.StdOut);

        // A short continuation task from the held-out split (the tiny model's window is 32 bytes), then COPA-style
        // items with domain premises so that every method applies.
        var built = Path.Combine(scratch, "continuation.jsonl");
        var build = MoeProcess.Run("tasks", "build-continuation", "--split", "test", "--out", built, "--per-domain", "3",
            "--context-chars", "12", "--continuation-chars", "8", "--seed", "2");
        Assert.True(build.ExitCode == 0, build.StdErr + build.StdOut);
        Assert.Contains("wrote 21 items", build.StdOut);
        Assert.Equal(21, File.ReadAllLines(built).Length);

        var copa = Path.Combine(scratch, "copa.jsonl");
        File.WriteAllLines(copa,
        [
            """{"premise": "The man broke his toe.", "choice1": "He dropped a hammer.", "choice2": "He got a hole in his sock.", "question": "cause", "label": 0}""",
            """{"premise": "I tipped the bottle.", "choice1": "The liquid froze.", "choice2": "The liquid poured out.", "question": "effect", "label": 1}""",
            """{"premise": "The girl was tired.", "choice1": "She went to bed.", "choice2": "She ran a race.", "question": "effect", "label": 0}""",
        ]);
        var score = MoeProcess.Run("score", "--checkpoint", checkpoint, "--tasks", copa, "--method", "all", "--json");
        Assert.True(score.ExitCode == 0, score.StdErr + score.StdOut);
        using (var json = JsonDocument.Parse(score.StdOut))
        {
            var methods = json.RootElement.GetProperty("methods");
            Assert.Equal(["lm", "avg", "pmi", "pmi-dc", "domain-cond", "channel", "direct++"], methods.EnumerateObject().Select(m => m.Name));
            foreach (var method in methods.EnumerateObject())
            {
                var accuracy = method.Value.GetProperty("accuracy").GetDouble();
                var ci = method.Value.GetProperty("ci95").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                Assert.Equal(3, method.Value.GetProperty("n").GetInt32());
                Assert.Contains(accuracy, new[] { 0.0, 1 / 3.0, 2 / 3.0, 1.0 });
                Assert.Equal(2, ci.Length);
                Assert.True(ci[0] <= accuracy && accuracy <= ci[1], $"{method.Name}: {accuracy} outside [{ci[0]}, {ci[1]}]");
            }
        }

        var again = MoeProcess.Run("score", "--checkpoint", checkpoint, "--tasks", built, "--method", "pmi", "--json");
        Assert.True(again.ExitCode == 0, again.StdErr + again.StdOut);
        using (var json = JsonDocument.Parse(again.StdOut))
        {
            var pmi = json.RootElement.GetProperty("methods").GetProperty("pmi");
            Assert.Equal(21, pmi.GetProperty("n").GetInt32());
            Assert.Single(json.RootElement.GetProperty("methods").EnumerateObject());
        }

        var bad = Path.Combine(scratch, "bad.jsonl");
        File.WriteAllLines(bad, ["""{"context": "a", "choices": [" b", " c"], "label": 0}""", """{"context": "a", "choices": [" b", " c"], "label": 5}"""]);
        var refused = MoeProcess.Run("score", "--checkpoint", checkpoint, "--tasks", bad, "--json");
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal("", refused.StdOut);
        Assert.Contains("line 2: label 5 is out of range for 2 choices", refused.StdErr);

        var generate = MoeProcess.Run("generate", "--checkpoint", checkpoint, "--prompt", "The ", "--max-tokens", "5", "--temperature", "0.8", "--top-k", "20", "--top-p", "0.9", "--seed", "3");
        Assert.True(generate.ExitCode == 0, generate.StdErr);
        Assert.StartsWith("The ", generate.StdOut);
    }
}
