using MoeGrains.Model.Distributed;
using MoeGrains.Model.Training;

namespace MoeGrains.Model.Tests.Distributed;

/// <summary>Training resumed from saved router and expert bytes (weights + optimizer state) continues bit-identically.</summary>
public class RouterResumeTests
{
    [Theory]
    [InlineData(GateKind.Switch)]
    [InlineData(GateKind.Dense)]
    [InlineData(GateKind.Base)]
    [InlineData(GateKind.Top2)]
    public async Task Resuming_from_saved_bytes_continues_exactly(GateKind gate)
    {
        var config = DistributedTesting.Config(gate);
        var options = new TrainingOptions(Steps: 8, BatchSize: 4, LearningRate: 1e-2, Seed: 5);
        var batches = DistributedTesting.Batches(8, 4, seed: 5, config.ContextLength);

        using var model = DistributedTesting.NewModel(config, seed: 5);
        using var partition = ModelPartition.Split(model);
        using var router = new RouterShard(config, options);
        router.LoadState(partition.Router);
        using var experts = LocalExpertExecutor.FromPartition(partition, config, options);
        var straight = new List<double>();
        for (var i = 0; i < 8; i++) straight.Add((await router.TrainStepAsync(batches[i], experts, i)).Loss);

        using var model2 = DistributedTesting.NewModel(config, seed: 5);
        using var partition2 = ModelPartition.Split(model2);
        using var first = new RouterShard(config, options);
        first.LoadState(partition2.Router);
        using var firstExperts = LocalExpertExecutor.FromPartition(partition2, config, options);
        var resumed = new List<double>();
        for (var i = 0; i < 4; i++) resumed.Add((await first.TrainStepAsync(batches[i], firstExperts, i)).Loss);

        using var second = new RouterShard(config, options);
        second.LoadWeights(first.SaveWeights());
        second.LoadOptimizerState(first.SaveOptimizerState());
        using var secondExperts = new LocalExpertExecutor(config, options);
        foreach (var (key, shard) in firstExperts.Shards)
        {
            secondExperts.Shards[key].LoadWeights(shard.SaveWeights());
            secondExperts.Shards[key].LoadOptimizerState(shard.SaveOptimizerState());
        }
        for (var i = 4; i < 8; i++) resumed.Add((await second.TrainStepAsync(batches[i], secondExperts, i)).Loss);

        Assert.Equal(straight, resumed);
        var deviation = DistributedTesting.MaxDeviation(DistributedTesting.Joined(second, secondExperts), DistributedTesting.Joined(router, experts));
        Assert.Equal(0, deviation.Absolute);
    }
}
