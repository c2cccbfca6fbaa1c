using MoeGrains.Model.Distributed;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Distributed;

public class ModelPartitionTests
{
    [Theory]
    [InlineData(GateKind.Switch)]
    [InlineData(GateKind.Base)]
    public void Split_then_join_reproduces_the_full_model_bit_exactly(GateKind gate)
    {
        var config = DistributedTesting.Config(gate);
        using var model = DistributedTesting.NewModel(config, seed: 5);
        using var partition = ModelPartition.Split(model);
        using var other = DistributedTesting.NewModel(config, seed: 6);
        Assert.NotEqual(0, DistributedTesting.MaxDeviation(other.state_dict(), model.state_dict()).Absolute);

        partition.LoadInto(other);

        Assert.Equal(0, DistributedTesting.MaxDeviation(other.state_dict(), model.state_dict()).Absolute);
        Assert.Equal(ExpertKey.All(config), partition.Experts.Keys.OrderBy(k => k.Layer).ThenBy(k => k.Expert));
        Assert.All(partition.Experts.Values, state => Assert.Equal(["down.bias", "down.weight", "up.bias", "up.weight"], state.Keys.Order()));
    }

    [Fact]
    public void Router_state_has_no_expert_keys_and_fits_the_expert_less_model()
    {
        var config = DistributedTesting.Config(GateKind.Top2);
        using var model = DistributedTesting.NewModel(config, seed: 5);
        using var partition = ModelPartition.Split(model);
        using var router = new MoeLanguageModel(config, withExperts: false);

        Assert.DoesNotContain(partition.Router.Keys, key => key.Contains("experts", StringComparison.Ordinal));
        Assert.Equal(router.state_dict().Keys.Order(), partition.Router.Keys.Order());
        Assert.Equal(model.state_dict().Count, partition.Router.Count + partition.Experts.Values.Sum(e => e.Count));
        partition.LoadRouterInto(router);
        Assert.Equal(0, DistributedTesting.MaxDeviation(router.state_dict(),
            model.state_dict().Where(p => !ExpertKey.TryParse(p.Key, out _, out _)).ToDictionary()).Absolute);
    }

    [Fact]
    public void Expert_key_prefix_names_the_full_models_expert_parameters()
    {
        var config = DistributedTesting.Config(GateKind.Switch);
        using var model = DistributedTesting.NewModel(config, seed: 5);
        var names = model.state_dict().Keys.ToHashSet();
        var key = new ExpertKey(1, 3);
        Assert.Contains(key.ParameterPrefix + "up.weight", names);
        Assert.True(ExpertKey.TryParse(key.ParameterPrefix + "down.bias", out var parsed, out var local));
        Assert.Equal((key, "down.bias"), (parsed, local));
        Assert.False(ExpertKey.TryParse("blocks.1.moeFeedForward.gate.router.weight", out _, out _));
        Assert.Equal("layer 1, expert 3", key.ToString());
    }
}
