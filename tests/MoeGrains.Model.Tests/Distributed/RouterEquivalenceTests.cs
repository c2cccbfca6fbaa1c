using MoeGrains.Model.Distributed;
using MoeGrains.Model.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Distributed;

/// <summary>The key test: a router with local expert shards trains exactly like the in-process trainer.</summary>
public class RouterEquivalenceTests(ITestOutputHelper output)
{
    private const int Steps = 8;
    private const int BatchSize = 4;
    private const int Seed = 7;

    public static TheoryData<GateKind, SecondExpertPolicy> Gates => new()
    {
        { GateKind.Dense, SecondExpertPolicy.All },
        { GateKind.Switch, SecondExpertPolicy.All },
        { GateKind.Top2, SecondExpertPolicy.All },
        { GateKind.Top2, SecondExpertPolicy.Sampling },
        { GateKind.Base, SecondExpertPolicy.All },
        { GateKind.Hash, SecondExpertPolicy.All },
        { GateKind.Domain, SecondExpertPolicy.All },
    };

    [Theory]
    [MemberData(nameof(Gates))]
    public async Task Router_with_local_experts_matches_the_trainer(GateKind gate, SecondExpertPolicy policy)
    {
        var (lossDeviation, weights) = await Compare(gate, policy, clipNorm: 1.0);
        output.WriteLine($"{gate}/{policy}: max loss rel dev {lossDeviation:E3}; weights max abs {weights.Absolute:E3} (at {weights.Worst}), max rel {weights.Relative:E3}");
        // The staged backward reproduces autograd's sums term for term and the clipping norm is stacked in the full
        // model's parameter order, so the runs are bit-identical (tolerances would hide a real divergence).
        Assert.Equal(0, lossDeviation);
        Assert.True(weights.Absolute == 0, $"weights deviate by {weights.Absolute:E3} absolute / {weights.Relative:E3} relative (worst: {weights.Worst})");
    }

    internal static async Task<(double LossDeviation, (double Absolute, double Relative, string Worst) Weights)> Compare(
        GateKind gate, SecondExpertPolicy policy, double clipNorm)
    {
        var config = DistributedTesting.Config(gate, policy);
        var options = new TrainingOptions(Steps, BatchSize, LearningRate: 1e-2, ClipNorm: clipNorm, Seed: Seed);
        var batches = DistributedTesting.Batches(Steps, BatchSize, Seed, config.ContextLength);
        try
        {
            using var reference = DistributedTesting.NewModel(config, Seed);
            using var partition = ModelPartition.Split(reference);
            using var router = new RouterShard(config, options);
            router.LoadState(partition.Router);
            using var experts = LocalExpertExecutor.FromPartition(partition, config, options);

            var expectedLosses = new List<double>();
            using (var trainer = new Trainer(reference, options))
                foreach (var batch in batches) expectedLosses.Add(trainer.Step(batch).Loss);

            var losses = new List<double>();
            for (var step = 0; step < Steps; step++)
                losses.Add((await router.TrainStepAsync(batches[step], experts, step)).Loss);

            var lossDeviation = losses.Zip(expectedLosses, (a, b) => Math.Abs(a - b) / Math.Abs(b)).Max();
            var joined = DistributedTesting.Joined(router, experts);
            try
            {
                return (lossDeviation, DistributedTesting.MaxDeviation(joined, reference.state_dict()));
            }
            finally
            {
                foreach (var tensor in joined.Values) tensor.Dispose();
            }
        }
        finally
        {
            foreach (var batch in batches) batch.Dispose();
        }
    }
}
