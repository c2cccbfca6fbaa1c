using System.Text.Json;

namespace MoeGrains.Cli.Tests;

/// <summary><c>moe train --branch</c>, <c>eval --mixture</c> and <c>experts retire</c> through grains in an embedded silo.</summary>
public sealed class GrainBranchTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("moe-cli-branch-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void Embedded_branch_training_commits_a_mixture_that_eval_and_experts_retire_work_on()
    {
        var train = MoeProcess.RunIn(scratch, "train", "--gate", "domain", "--branch", "--config", "tiny", "--steps", "4", "--branch-steps", "3",
            "--batch", "2", "--model", "demix", "--checkpoint-every", "2", "--no-eval");
        Assert.True(train.ExitCode == 0, train.StdErr + train.StdOut);
        Assert.Contains("Mixture demix version 1: 7 domain experts", train.StdOut.ReplaceLineEndings(" "));

        var eval = MoeProcess.RunIn(scratch, "eval", "--model", "demix", "--mixture", "topk:2", "--json");
        Assert.True(eval.ExitCode == 0, eval.StdErr);
        using (var json = JsonDocument.Parse(eval.StdOut))
        {
            Assert.Equal(7, json.RootElement.GetProperty("experts").GetArrayLength());
            var code = json.RootElement.GetProperty("domains").GetProperty("code");
            Assert.Equal(code.GetProperty("topk").GetDouble(), code.GetProperty("ppl").GetDouble());
        }
        Assert.True(File.Exists(Path.Combine(scratch, "runs", "demix", "eval-valid-posterior.png")));

        var retired = MoeProcess.RunIn(scratch, "experts", "retire", "--model", "demix", "--expert", "code", "--json");
        Assert.True(retired.ExitCode == 0, retired.StdErr);
        using (var json = JsonDocument.Parse(retired.StdOut))
        {
            Assert.Equal(2, json.RootElement.GetProperty("version").GetInt32());
            Assert.Equal(6, json.RootElement.GetProperty("experts").GetArrayLength());
        }
        var unknown = MoeProcess.RunIn(scratch, "experts", "restore", "--model", "demix", "--expert", "law");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no retired expert has that name", unknown.StdErr);
    }

    [Fact]
    public void Embedded_branch_training_holds_a_domain_out_and_experts_add_model_trains_its_expert_through_the_grains()
    {
        var train = MoeProcess.RunIn(scratch, "train", "--gate", "domain", "--branch", "--hold-out", "wikipedia", "--config", "tiny", "--steps", "4",
            "--branch-steps", "3", "--batch", "2", "--model", "demix-held", "--checkpoint-every", "2", "--no-eval");
        Assert.True(train.ExitCode == 0, train.StdErr + train.StdOut);
        Assert.Contains("Mixture demix-held version 1: 6 domain experts", train.StdOut.ReplaceLineEndings(" "));

        var add = MoeProcess.RunIn(scratch, "experts", "add", "--model", "demix-held", "--expert", "wikipedia", "--steps", "3", "--batch", "2",
            "--checkpoint-every", "2");
        Assert.True(add.ExitCode == 0, add.StdErr + add.StdOut);
        var output = add.StdOut.ReplaceLineEndings(" ");
        Assert.Contains("Expert wikipedia trained 3 steps", output);
        Assert.Contains("mixture version 2", output);

        var again = MoeProcess.RunIn(scratch, "experts", "add", "--model", "demix-held", "--expert", "wikipedia", "--steps", "3", "--json");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already has an expert", again.StdErr);
        var unknown = MoeProcess.RunIn(scratch, "experts", "add", "--model", "demix-held", "--expert", "law", "--steps", "3");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("has no domain 'law'", unknown.StdErr);

        var retired = MoeProcess.RunIn(scratch, "experts", "retire", "--model", "demix-held", "--expert", "wikipedia", "--json");
        Assert.True(retired.ExitCode == 0, retired.StdErr);
        using var json = JsonDocument.Parse(retired.StdOut);
        Assert.Equal(3, json.RootElement.GetProperty("version").GetInt32());
        Assert.Equal(["wikipedia"], json.RootElement.GetProperty("archived").EnumerateArray().Select(e => e.GetString()));
    }
}
