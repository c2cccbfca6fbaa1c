using System.Text.Json;

namespace MoeGrains.Cli.Tests;

/// <summary><c>moe score --tasks FILE --mixture …</c> over a mixture folder in this process and over a mixture grain in an embedded silo.</summary>
public sealed class MixtureScoreTasksTests : IDisposable
{
    private static readonly string[] AllMethods = ["lm", "avg", "pmi", "pmi-dc", "domain-cond", "channel", "direct++"];

    private readonly string scratch = Directory.CreateTempSubdirectory("moe-cli-mixture-score-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void Score_mixture_folder_prints_every_method_for_each_mixture_and_refuses_a_missing_or_misplaced_mixture()
    {
        var folder = Path.Combine(scratch, "demix");
        var corpus = WriteSmallCorpus();
        var train = MoeProcess.Run("train", "--in-process", "--branch", "--gate", "domain", "--config", "tiny", "--corpus", corpus, "--steps", "6",
            "--branch-steps", "3", "--batch", "2", "--out", folder, "--no-eval");
        Assert.True(train.ExitCode == 0, train.StdErr + train.StdOut);
        var tasks = WriteTasks();
        // training leaves cached priors in the manifest; without them, cached scoring estimates its domains' priors and keeps them
        var manifestPath = Path.Combine(folder, "mixture.json");
        var stored = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifestPath))!;
        stored["cachedPriors"] = new System.Text.Json.Nodes.JsonObject();
        File.WriteAllText(manifestPath, stored.ToJsonString());

        foreach (var mixture in new[] { "uniform", "cached" })
        {
            var score = MoeProcess.Run("score", "--checkpoint", folder, "--tasks", tasks, "--mixture", mixture, "--method", "all", "--corpus", corpus, "--json");
            Assert.True(score.ExitCode == 0, score.StdErr + score.StdOut);
            using var json = JsonDocument.Parse(score.StdOut);
            var methods = json.RootElement.GetProperty("methods");
            Assert.Equal(AllMethods, methods.EnumerateObject().Select(m => m.Name));
            foreach (var method in methods.EnumerateObject())
            {
                var accuracy = method.Value.GetProperty("accuracy").GetDouble();
                var ci = method.Value.GetProperty("ci95").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                Assert.Equal(4, method.Value.GetProperty("n").GetInt32());
                Assert.Contains(accuracy, new[] { 0.0, 0.25, 0.5, 0.75, 1.0 });
                Assert.True(ci[0] <= accuracy && accuracy <= ci[1], $"{mixture} {method.Name}: {accuracy} outside [{ci[0]}, {ci[1]}]");
            }
        }
        using (var manifest = JsonDocument.Parse(File.ReadAllText(manifestPath)))
        {
            var priors = manifest.RootElement.GetProperty("cachedPriors");
            Assert.Equal(["code", "religion"], priors.EnumerateObject().Select(p => p.Name).Order());
            Assert.Equal(1.0, priors.GetProperty("code").EnumerateObject().Sum(p => p.Value.GetDouble()), 9);
        }

        var table = MoeProcess.Run("score", "--checkpoint", folder, "--tasks", tasks, "--mixture", "topk:2", "--method", "pmi-dc");
        Assert.True(table.ExitCode == 0, table.StdErr + table.StdOut);
        Assert.Contains("mixture version 1, topk:2", table.StdOut.ReplaceLineEndings(""));
        Assert.Contains("pmi-dc", table.StdOut);

        var missing = MoeProcess.Run("score", "--checkpoint", folder, "--tasks", tasks);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("is a mixture of domain experts: choose how to mix the experts with --mixture uniform, cached or topk:K", missing.StdErr.ReplaceLineEndings(" "));
        Assert.Contains(Path.Combine(folder, "shared"), missing.StdErr.ReplaceLineEndings(""));
        var sharedFlag = MoeProcess.Run("score", "--checkpoint", folder, "--tasks", tasks, "--shared");
        Assert.Equal(2, sharedFlag.ExitCode);
        Assert.Contains("--shared is for --model NAME", sharedFlag.StdErr);
        var domainGate = MoeProcess.Run("score", "--checkpoint", Path.Combine(folder, "shared"), "--tasks", tasks, "--method", "lm");
        Assert.Equal(2, domainGate.ExitCode);
        Assert.Contains("The model routes by domain", domainGate.StdErr.ReplaceLineEndings(" "));
        var single = MoeProcess.Run("score", "--checkpoint", Path.Combine(folder, "shared"), "--tasks", tasks, "--mixture", "uniform");
        Assert.Equal(2, single.ExitCode);
        Assert.Contains("--mixture scores over a mixture of domain experts", single.StdErr.ReplaceLineEndings(" "));
        var updating = MoeProcess.Run("score", "--checkpoint", folder, "--tasks", tasks, "--mixture", "updating");
        Assert.Equal(2, updating.ExitCode);
        Assert.Contains("uniform, cached or topk:K", updating.StdErr.ReplaceLineEndings(" "));
        var noDomain = Path.Combine(scratch, "no-domain.jsonl");
        File.WriteAllLines(noDomain, [File.ReadAllLines(tasks)[0], """{"context": "The sky is", "choices": [" blue", " loud"], "label": 0}"""]);
        var refused = MoeProcess.Run("score", "--checkpoint", folder, "--tasks", noDomain, "--mixture", "cached", "--method", "lm", "--json");
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal("", refused.StdOut);
        Assert.Contains("line 2: mixture cached weighs the experts with the cached prior of the item's domain", refused.StdErr.ReplaceLineEndings(" "));
    }

    [Fact]
    public void Score_model_mixture_through_an_embedded_silo_prints_every_method_and_requires_the_mixture()
    {
        var corpus = WriteSmallCorpus();
        var train = MoeProcess.RunIn(scratch, "train", "--gate", "domain", "--branch", "--config", "tiny", "--corpus", corpus, "--steps", "4",
            "--branch-steps", "3", "--batch", "2", "--model", "demix", "--checkpoint-every", "2", "--no-eval");
        Assert.True(train.ExitCode == 0, train.StdErr + train.StdOut);
        var tasks = WriteTasks();

        var score = MoeProcess.RunIn(scratch, "score", "--model", "demix", "--tasks", tasks, "--mixture", "cached", "--corpus", corpus, "--json");
        Assert.True(score.ExitCode == 0, score.StdErr + score.StdOut);
        using (var json = JsonDocument.Parse(score.StdOut))
        {
            var methods = json.RootElement.GetProperty("methods");
            Assert.Equal(AllMethods, methods.EnumerateObject().Select(m => m.Name));
            Assert.All(methods.EnumerateObject(), m => Assert.Equal(4, m.Value.GetProperty("n").GetInt32()));
        }

        var missing = MoeProcess.RunIn(scratch, "score", "--model", "demix", "--tasks", tasks);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("Model 'demix' has a mixture of domain experts (version 1): choose how to mix", missing.StdErr.ReplaceLineEndings(" "));
        Assert.Contains("--shared", missing.StdErr);
        // demix's shared model has a domain gate, which text alone cannot route; a dense phase 1 scores.
        var domainGate = MoeProcess.RunIn(scratch, "score", "--model", "demix", "--tasks", tasks, "--shared", "--method", "lm");
        Assert.Equal(2, domainGate.ExitCode);
        Assert.Contains("Model 'demix' routes by domain", domainGate.StdErr.ReplaceLineEndings(" "));
        var dense = MoeProcess.RunIn(scratch, "train", "--gate", "dense", "--branch", "--config", "tiny", "--corpus", corpus, "--steps", "4",
            "--branch-steps", "3", "--batch", "2", "--model", "dense-branched", "--checkpoint-every", "2", "--no-eval");
        Assert.True(dense.ExitCode == 0, dense.StdErr + dense.StdOut);
        var shared = MoeProcess.RunIn(scratch, "score", "--model", "dense-branched", "--tasks", tasks, "--shared", "--method", "lm", "--json");
        Assert.True(shared.ExitCode == 0, shared.StdErr + shared.StdOut);
        using (var json = JsonDocument.Parse(shared.StdOut))
            Assert.Equal(4, json.RootElement.GetProperty("methods").GetProperty("lm").GetProperty("n").GetInt32());
        var withoutShared = MoeProcess.RunIn(scratch, "score", "--model", "dense-branched", "--tasks", tasks, "--method", "lm");
        Assert.Equal(2, withoutShared.ExitCode);
        Assert.Contains("has a mixture of domain experts", withoutShared.StdErr.ReplaceLineEndings(" "));
        var both = MoeProcess.RunIn(scratch, "score", "--model", "demix", "--tasks", tasks, "--shared", "--mixture", "uniform");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("not both", both.StdErr);
        var single = MoeProcess.RunIn(scratch, "score", "--model", "nothing-here", "--tasks", tasks, "--mixture", "uniform");
        Assert.Equal(2, single.ExitCode);
        Assert.Contains("model 'nothing-here' has none", single.StdErr.ReplaceLineEndings(" "));
    }

    /// <summary>
    /// The code and religion domains of the sample corpus, cut to their first documents: branch training evaluates every
    /// domain's validation text, which on the full corpus takes minutes on a busy machine.
    /// </summary>
    private string WriteSmallCorpus()
    {
        var corpus = Path.Combine(scratch, "corpus");
        foreach (var domain in new[] { "code", "religion" })
        {
            Directory.CreateDirectory(Path.Combine(corpus, domain));
            foreach (var (split, characters) in new[] { ("train", 20_000), ("valid", 3_000) })
            {
                var text = File.ReadAllText(Path.Combine(MoeProcess.SampleCorpus, domain, split + ".txt"));
                var end = text.IndexOf("\n\n", Math.Min(characters, text.Length - 1), StringComparison.Ordinal);
                File.WriteAllText(Path.Combine(corpus, domain, split + ".txt"), end < 0 ? text : text[..end] + "\n");
            }
        }
        return corpus;
    }

    /// <summary>Four short labelled items with domain premises and domains, so that every method and every mixture applies.</summary>
    private string WriteTasks()
    {
        var path = Path.Combine(scratch, "tasks.jsonl");
        File.WriteAllLines(path,
        [
            """{"context": "def main():", "choices": ["\n    return 0", " banana"], "label": 0, "domain_premise": ":", "domain": "code"}""",
            """{"context": "for i in range(3):", "choices": ["\n    print(i)", " the cat sat"], "label": 0, "domain_premise": ":", "domain": "code"}""",
            """{"context": "The man broke his toe", "choices": [" he dropped a hammer.", " he got a hole in his sock."], "label": 0, "domain_premise": " because", "domain": "religion"}""",
            """{"context": "And the Lord said", "choices": [" unto Moses", " to the compiler"], "label": 0, "domain_premise": " said", "domain": "religion"}""",
        ]);
        return path;
    }
}
