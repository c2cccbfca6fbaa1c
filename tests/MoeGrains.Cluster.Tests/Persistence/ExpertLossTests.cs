using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Cluster.Tests.Equivalence;
using MoeGrains.Grains.Routers;

namespace MoeGrains.Cluster.Tests.Persistence;

/// <summary>Experts that lose their state mid-training are reloaded from the last committed checkpoint, and training goes on.</summary>
public sealed class ExpertLossTests(ModelClusterFixture fixture) : IClassFixture<ModelClusterFixture>
{
    [Fact]
    public async Task Deactivating_every_expert_mid_training_rolls_back_to_the_last_checkpoint_and_ends_where_an_uninterrupted_run_ends()
    {
        const int steps = 40;
        var spec = new ModelSpec("tiny", "switch", Seed: 5);
        await fixture.Client.CreateModelAsync("survivor", spec);
        var handle = await fixture.Client.TrainAsync("survivor", new TrainingRequest("sample", steps, 4, 1e-2, 5, CheckpointEvery: 4));

        var management = fixture.Cluster.Client.GetGrain<IManagementGrain>(0);
        await foreach (var status in handle.WatchAsync(TimeSpan.FromMilliseconds(10)))
        {
            if (status.Step >= 6 && status.Restarts == 0)
                await management.ForceActivationCollection(TimeSpan.Zero);
        }
        var final = await handle.GetStatusAsync();
        Assert.Equal(TrainingState.Completed, final.State);
        Assert.True(final.Restarts >= 1, "no expert lost its state: the test did not test anything");

        var (reference, losses) = InProcessReference.Train(ModelSpecs.ToConfig(spec), fixture.CorpusFolder, 5, steps, 4, 1e-2);
        using (reference)
        {
            Assert.Equal(steps, final.Losses.Count);
            for (var i = 0; i < steps; i++)
                Assert.True(Math.Abs(final.Losses[i] - losses[i]) <= 1e-5 * losses[i], $"step {i + 1}: {final.Losses[i]} vs {losses[i]} after {final.Restarts} restarts\ncluster:    {string.Join(", ", final.Losses.Select(l => l.ToString("F6")))}\nin-process: {string.Join(", ", losses.Select(l => l.ToString("F6")))}");
        }
    }
}
