using MoeGrains.Faults.Tests.Cluster;

namespace MoeGrains.Faults.Tests.BadInput;

/// <summary>
/// Every kind of bad input the CLI test gives <c>moe</c>, by name: the arguments (from the fault cluster's <c>--cluster</c> file
/// and a scratch folder), a fragment of the one <c>moe: error:</c> line, and the exit code.
/// </summary>
internal static class CliBadInputCases
{
    public sealed record Case(Func<string, string, string[]> Arguments, string Fragment, int ExitCode = 2);

    public static readonly IReadOnlyDictionary<string, Case> All = new Dictionary<string, Case>
    {
        ["unknown verb"] = new((_, _) => ["fly"], "fly"),
        ["unknown option"] = new((_, s) => ["train", "--steps", "1", "--bogus", "--out", s], "bogus"),
        ["number that is not a number"] = new((_, s) => ["train", "--steps", "many", "--out", s], "many"),
        ["generate without --model or --checkpoint"] = new((_, s) => ["generate", "--prompt", "hi", "--store", s], "Give either --checkpoint DIR"),
        ["generate without --prompt"] = new((_, s) => ["generate", "--model", "m", "--store", s], "--prompt TEXT is required"),
        ["score without --text or --tasks"] = new((_, s) => ["score", "--model", "m", "--store", s], "--text TEXT or --tasks FILE"),
        ["negative temperature"] = new((_, s) => ["generate", "--model", "m", "--prompt", "hi", "--temperature", "-1", "--store", s], "--temperature must be 0"),
        ["top-p above 1"] = new((_, s) => ["generate", "--model", "m", "--prompt", "hi", "--top-p", "1.5", "--store", s], "--top-p must be in (0, 1]"),
        ["zero steps"] = new((_, s) => ["train", "--config", "tiny", "--steps", "0", "--store", s], "Steps must be positive (got 0)"),
        ["zero batch"] = new((_, s) => ["train", "--config", "tiny", "--steps", "1", "--batch", "0", "--store", s], "Batch size must be positive"),
        ["unknown gate"] = new((_, s) => ["train", "--gate", "sparse", "--steps", "1", "--store", s], "'sparse'"),
        ["folder that is not a checkpoint"] = new((_, s) => ["eval", "--checkpoint", s], "is not a checkpoint"),
        ["checkpoint with corrupt weights"] = new((_, s) => ["eval", "--checkpoint", CorruptCheckpoint.Write(s)], "is corrupt"),
        ["malformed --cluster address"] = new((_, _) => ["score", "--model", "m", "--text", "hi", "--cluster", "127.0.0.1:notaport"], "'127.0.0.1:notaport' is not a gateway address"),
        ["missing --cluster file"] = new((_, s) => ["score", "--model", "m", "--text", "hi", "--cluster", Path.Combine(s, "nowhere.json")], "nowhere.json' does not exist"),
        ["cluster: unknown model"] = new((c, _) => ["score", "--model", "nobody", "--text", "hi", "--cluster", c], "Unknown model 'nobody'"),
        ["cluster: model name in upper case"] = new((c, _) => ["generate", "--model", "Served", "--prompt", "hi", "--cluster", c], "'Served' is not a valid name"),
        ["cluster: train a model that exists without --resume"] = new((c, _) => ["train", "--model", FaultCluster.ServedModel, "--config", "tiny", "--steps", "1", "--cluster", c], $"Model '{FaultCluster.ServedModel}' already exists"),
        ["cluster: evaluate on an unknown dataset"] = new((c, _) => ["eval", "--model", FaultCluster.ServedModel, "--dataset", "nowhere", "--cluster", c], "Dataset 'nowhere' does not exist"),
        ["cluster: evaluate an unknown split"] = new((c, _) => ["eval", "--model", FaultCluster.ServedModel, "--dataset", FaultCluster.Dataset, "--split", "dev", "--cluster", c], "'dev'"),
    };

    public static TheoryData<string> Names() => [.. All.Keys];
}
