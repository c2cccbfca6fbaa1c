using MoeGrains.Abstractions.Models;

namespace MoeGrains.Cluster.Tests.Equivalence;

/// <summary>A model's experts land only on expert silos and spread over their devices.</summary>
public sealed class ExpertPlacementInModelTests(ModelClusterFixture fixture) : IClassFixture<ModelClusterFixture>
{
    [Fact]
    public async Task Experts_live_only_on_expert_silos_spread_over_devices()
    {
        await fixture.Client.CreateModelAsync("placed", new ModelSpec("tiny", "switch", Seed: 3));
        var experts = await fixture.Client.ListExpertsAsync("placed");
        var gateway = fixture.Cluster.Silos[0].SiloAddress.ToString();

        Assert.Equal(8, experts.Count); // 2 MoE layers × 4 experts
        Assert.DoesNotContain(experts, e => e.Silo == gateway);
        var perSilo = experts.GroupBy(e => e.Silo).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(2, perSilo.Count);
        var devices = experts.Select(e => (e.Silo, e.DeviceSlot)).Distinct().Count();
        Assert.Equal(3, devices); // one device on the first expert silo, two on the second
        Assert.All(experts, e => Assert.Equal(1, e.Version));
    }

    [Fact]
    public async Task An_explicit_move_reactivates_the_expert_on_the_target_silo_from_the_store()
    {
        await fixture.Client.CreateModelAsync("mover", new ModelSpec("tiny", "switch", Seed: 4));
        var id = new MoeGrains.Abstractions.Experts.ExpertId("mover", 0, 0);
        var expert = fixture.Cluster.Client.GetGrain<MoeGrains.Abstractions.Experts.IExpertGrain>(id.Key);
        var before = await expert.GetInfoAsync();
        var target = fixture.Cluster.Silos.Skip(1).Select(s => s.SiloAddress).First(s => s.ToString() != before.Silo);

        await expert.MoveAsync(target);
        MoeGrains.Abstractions.Experts.ExpertInfo after = before;
        for (var attempt = 0; attempt < 100 && after.Silo == before.Silo; attempt++)
        {
            await Task.Delay(50);
            after = await expert.GetInfoAsync();
        }

        Assert.Equal(target.ToString(), after.Silo);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Step, after.Step);
        Assert.Equal(0, after.TokensProcessed); // a new activation: its weights came from the store, not the old one
    }

    [Fact]
    public async Task Bad_requests_name_the_problem_and_change_nothing()
    {
        await fixture.Client.CreateModelAsync("once", new ModelSpec("tiny", "hash", Seed: 1));
        var again = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.CreateModelAsync("once", new ModelSpec("tiny", "switch")));
        Assert.Contains("already exists", again.Message);
        Assert.Equal("hash", System.Text.Json.JsonDocument.Parse((await fixture.Client.GetModelAsync("once")).ConfigJson).RootElement.GetProperty("gate").GetString());

        Assert.Contains("Unknown model", (await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.GetModelAsync("nobody"))).Message);
        Assert.Contains("'nope'", (await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.CreateModelAsync("bad-gate", new ModelSpec("tiny", "nope")))).Message);
        Assert.Contains("empty", (await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.ScoreAsync("once", [""]))).Message);
        Assert.Contains("not a valid name", Assert.Throws<ArgumentException>(() => { _ = fixture.Client.GetModelAsync("Bad Name"); }).Message);
        Assert.Contains("does not exist", (await Assert.ThrowsAsync<ArgumentException>(() =>
            fixture.Client.TrainAsync("once", new MoeGrains.Abstractions.Training.TrainingRequest("no-such-data", 3)))).Message);
    }
}
