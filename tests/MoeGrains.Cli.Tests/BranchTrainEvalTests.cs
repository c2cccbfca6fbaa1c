using System.Text.Json;

namespace MoeGrains.Cli.Tests;

public sealed class BranchTrainEvalTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("moe-cli-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    private string CorpusWithout(params string[] domains)
    {
        var copy = Path.Combine(scratch, "corpus-without-" + string.Join('-', domains));
        foreach (var folder in Directory.GetDirectories(MoeProcess.SampleCorpus).Where(d => !domains.Contains(Path.GetFileName(d))))
        {
            var target = Directory.CreateDirectory(Path.Combine(copy, Path.GetFileName(folder))).FullName;
            foreach (var file in Directory.GetFiles(folder)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        return copy;
    }

    private static string EvalJson(string checkpoint, string corpus)
    {
        var eval = MoeProcess.Run("eval", "--checkpoint", checkpoint, "--corpus", corpus, "--split", "valid", "--json");
        Assert.True(eval.ExitCode == 0, eval.StdErr);
        return eval.StdOut;
    }

    [Fact]
    public void Branch_batch_and_branch_lr_set_the_experts_batch_and_learning_rate_alone_and_apply_only_with_branch()
    {
        string Train(string name, params string[] extra)
        {
            var output = Path.Combine(scratch, name);
            var train = MoeProcess.Run(["train", "--in-process", "--branch", "--gate", "domain", "--config", "tiny", "--steps", "4",
                "--branch-steps", "2", "--batch", "2", "--out", output, "--no-eval", .. extra]);
            Assert.True(train.ExitCode == 0, train.StdErr + train.StdOut);
            return output;
        }
        byte[] Shared(string run) => File.ReadAllBytes(Path.Combine(run, "shared", "weights.bin"));
        byte[] Expert(string run) => File.ReadAllBytes(Path.Combine(run, "experts", "code", "weights.bin"));
        var same = Train("batch-2");
        var larger = Train("branch-batch-3", "--branch-batch", "3");
        var slower = Train("branch-lr-0.001", "--branch-lr", "0.001");
        var tinyDefault = Train("branch-lr-0.01", "--branch-lr", "0.01");

        Assert.Equal(Shared(same), Shared(larger));
        Assert.NotEqual(Expert(same), Expert(larger));
        Assert.Equal(Shared(same), Shared(slower));
        Assert.NotEqual(Expert(same), Expert(slower));
        Assert.Equal(Expert(same), Expert(tinyDefault)); // tiny's default peak learning rate, given explicitly
        foreach (var option in new[] { "--branch-batch", "--branch-lr" })
        {
            var refused = MoeProcess.Run("train", "--in-process", "--config", "tiny", "--steps", "1", option, "3", "--out", Path.Combine(scratch, "refused"));
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains(option, refused.StdErr);
        }
        var zero = MoeProcess.Run("train", "--in-process", "--branch", "--config", "tiny", "--steps", "1", "--branch-lr", "0", "--out", Path.Combine(scratch, "zero"));
        Assert.Equal(2, zero.ExitCode);
        Assert.Contains("--branch-lr must be a positive number (got 0)", zero.StdErr);
        Assert.False(Directory.Exists(Path.Combine(scratch, "zero")), "a refused run writes nothing");
    }

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

        // The shared model routes by domain name: the held-out domain is refused by name (it was "Domain id 6 is outside
        // [0, 6)"), and a corpus that lacks a domain sorting before the others gives every remaining domain its own expert.
        var shared = Path.Combine(output, "shared");
        var refused = MoeProcess.Run("eval", "--checkpoint", shared, "--split", "valid", "--json");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("domain 'wikipedia' has none", refused.StdErr);
        var withoutHeldOut = CorpusWithout("wikipedia");
        var withoutFirst = CorpusWithout("wikipedia", "biomedical");
        using var all = JsonDocument.Parse(EvalJson(shared, withoutHeldOut));
        using var shifted = JsonDocument.Parse(EvalJson(shared, withoutFirst));
        var byName = shifted.RootElement.GetProperty("domains").EnumerateObject().ToList();
        Assert.Equal(5, byName.Count);
        foreach (var domain in byName)
            Assert.Equal(all.RootElement.GetProperty("domains").GetProperty(domain.Name).GetProperty("ppl").GetDouble(), domain.Value.GetProperty("ppl").GetDouble(), 9);

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

        var added = MoeProcess.Run("experts", "add", "--checkpoint", output, "--expert", "wikipedia", "--steps", "5", "--batch", "4", "--json");
        Assert.True(added.ExitCode == 0, added.StdErr + added.StdOut);
        Assert.True(File.Exists(Path.Combine(output, "experts", "wikipedia", "weights.bin")));
        using (var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "mixture.json"))))
        {
            Assert.Equal(2, manifest.RootElement.GetProperty("version").GetInt32());
            Assert.Equal(7, manifest.RootElement.GetProperty("experts").GetArrayLength());
            // the new version's cached priors are estimated again with the new expert set, the added domain's among them
            var priors = manifest.RootElement.GetProperty("cachedPriors");
            Assert.True(priors.TryGetProperty("wikipedia", out _), priors.GetRawText());
            Assert.All(priors.EnumerateObject(), prior => Assert.Equal(7, prior.Value.EnumerateObject().Count()));
            Assert.All(priors.EnumerateObject(), prior => Assert.Equal(1.0, prior.Value.EnumerateObject().Sum(p => p.Value.GetDouble()), 9));
        }
        var duplicate = MoeProcess.Run("experts", "add", "--checkpoint", output, "--expert", "code", "--steps", "1");
        Assert.Equal(2, duplicate.ExitCode);
        Assert.Contains("already has an expert", duplicate.StdErr);
        var retired = MoeProcess.Run("experts", "retire", "--checkpoint", output, "--expert", "code", "--json");
        Assert.True(retired.ExitCode == 0, retired.StdErr);
        using (var json3 = JsonDocument.Parse(retired.StdOut))
        {
            Assert.Equal(3, json3.RootElement.GetProperty("version").GetInt32());
            Assert.Equal(["code"], json3.RootElement.GetProperty("archived").EnumerateArray().Select(e => e.GetString()));
        }
        var unknown = MoeProcess.Run("experts", "retire", "--checkpoint", output, "--expert", "law");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Unknown expert 'law'", unknown.StdErr);
        var restored = MoeProcess.Run("experts", "restore", "--checkpoint", output, "--expert", "code", "--json");
        Assert.True(restored.ExitCode == 0, restored.StdErr);
        Assert.Equal(4, JsonDocument.Parse(restored.StdOut).RootElement.GetProperty("version").GetInt32());

        var bad = MoeProcess.Run("eval", "--checkpoint", output, "--mixture", "topk:9");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("asks for 9 experts; the mixture has 7", bad.StdErr);
        var switchGate = MoeProcess.Run("train", "--in-process", "--branch", "--gate", "switch", "--config", "tiny", "--steps", "1", "--out", Path.Combine(scratch, "x"));
        Assert.Equal(2, switchGate.ExitCode);
        Assert.Contains("--gate switch is neither", switchGate.StdErr);
    }
}
