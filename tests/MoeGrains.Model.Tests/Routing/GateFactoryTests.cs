using MoeGrains.Model.Routing;

namespace MoeGrains.Model.Tests.Routing;

public class GateFactoryTests
{
    [Theory]
    [InlineData(GateKind.Switch, typeof(SwitchGate))]
    [InlineData(GateKind.Top2, typeof(Top2Gate))]
    [InlineData(GateKind.Base, typeof(BaseLayerGate))]
    [InlineData(GateKind.Hash, typeof(HashGate))]
    [InlineData(GateKind.Domain, typeof(DomainGate))]
    public void Creates_the_configured_gate(GateKind kind, Type expected)
    {
        var config = ModelConfig.FromPreset("tiny", kind, vocabularySize: 64);
        using var gate = GateFactory.Create(config, layerIndex: 1);
        Assert.IsType(expected, gate);
        Assert.Equal(config.Experts, gate.Experts);
    }

    [Fact]
    public void Passes_the_capacity_settings_and_policy_through()
    {
        var config = ModelConfig.FromPreset("tiny", GateKind.Switch, 64) with { CapacityFactor = 1.5, EvalCapacityFraction = -1 };
        using var switchGate = Assert.IsType<SwitchGate>(GateFactory.Create(config, 0));
        Assert.Equal(1.5, switchGate.CapacityFactor);
        Assert.Equal(-1, switchGate.EvalCapacityFraction);

        var top2 = config with { Gate = GateKind.Top2, SecondExpert = SecondExpertPolicy.Sampling };
        using var top2Gate = Assert.IsType<Top2Gate>(GateFactory.Create(top2, 0));
        Assert.Equal(SecondExpertPolicy.Sampling, top2Gate.SecondExpert);
    }

    [Fact]
    public void Dense_has_no_gate()
    {
        var config = ModelConfig.FromPreset("tiny", GateKind.Dense, 64);
        Assert.Throws<ArgumentException>(() => GateFactory.Create(config, 0));
    }
}
