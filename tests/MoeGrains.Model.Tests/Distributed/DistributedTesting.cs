using MoeGrains.Model.Data;
using MoeGrains.Model.Distributed;
using MoeGrains.Model.Tests.Training;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Distributed;

/// <summary>Helpers shared by the distributed tests.</summary>
internal static class DistributedTesting
{
    public static ModelConfig Config(GateKind gate, SecondExpertPolicy policy = SecondExpertPolicy.All) =>
        TinyTraining.Config(gate) with { SecondExpert = policy };

    public static MoeLanguageModel NewModel(ModelConfig config, int seed)
    {
        manual_seed(seed);
        return new MoeLanguageModel(config);
    }

    public static List<Batch> Batches(int count, int batchSize, int seed, int contextLength)
    {
        var sampler = new BlockSampler(TinyTraining.Train, contextLength, seed);
        return [.. Enumerable.Range(0, count).Select(_ => sampler.Next(batchSize))];
    }

    /// <summary>Largest |a − b| and largest |a − b| / max(|b|, 1e-12) over every entry of two state dicts with the same keys.</summary>
    public static (double Absolute, double Relative, string Worst) MaxDeviation(
        IReadOnlyDictionary<string, Tensor> actual, IReadOnlyDictionary<string, Tensor> expected)
    {
        Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), actual.Keys.OrderBy(k => k, StringComparer.Ordinal));
        var (absolute, relative, worst) = (0.0, 0.0, "");
        foreach (var (key, e) in expected)
        {
            using var scope = NewDisposeScope();
            var a = actual[key].detach().to(ScalarType.Float64);
            var b = e.detach().to(ScalarType.Float64);
            Assert.Equal(b.shape, a.shape);
            var diff = (a - b).abs();
            var abs = diff.max().item<double>();
            var rel = (diff / b.abs().clamp_min(1e-12)).max().item<double>();
            if (abs > absolute) (absolute, worst) = (abs, key);
            relative = Math.Max(relative, rel);
        }
        return (absolute, relative, worst);
    }

    /// <summary>Joins a router and its local experts back into a full state dict (copies owned by the caller).</summary>
    public static Dictionary<string, Tensor> Joined(RouterShard router, LocalExpertExecutor experts) =>
        ModelPartition.Join(router.StateDict(), experts.StateDicts());
}
