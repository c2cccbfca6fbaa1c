using MoeGrains.Model.Routing;
using TorchSharp;
using static MoeGrains.Model.Tests.TestTensors;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Routing;

/// <summary>Gates leave no native tensors behind, and the plan's tensors live in the caller's dispose scope.</summary>
public class GateResourceTests
{
    [Theory]
    [InlineData(GateKind.Switch)]
    [InlineData(GateKind.Top2)]
    [InlineData(GateKind.Base)]
    [InlineData(GateKind.Hash)]
    [InlineData(GateKind.Domain)]
    public void Routing_leaks_nothing_beyond_the_callers_scope(GateKind kind)
    {
        var config = ModelConfig.FromPreset("tiny", kind, vocabularySize: 16) with { SecondExpert = SecondExpertPolicy.Sampling };
        using var gate = GateFactory.Create(config, 0);
        using var hidden = randn(20, config.ModelDim);
        using var ids = randint(4, [20]);
        var context = new RoutingContext(ids, ids, new Generator(1));
        var statistics = DisposeScopeManager.Statistics;

        var before = statistics.ThreadTotalLiveCount;
        using (var scope = NewDisposeScope())
        {
            var plan = gate.Route(hidden, context);
            Assert.Equal(config.Experts, plan.Slices.Count);
            Assert.All(plan.Slices, s => Assert.True(scope.Contains(s.TokenIndex) && scope.Contains(s.CombineWeight)));
            if (plan.AuxLoss is not null) Assert.True(scope.Contains(plan.AuxLoss));
            // Only the plan's own tensors reach the caller's scope; intermediates die in the gate's scope.
            Assert.Equal(2 * config.Experts + (plan.AuxLoss is null ? 0 : 1), scope.DisposablesCount);
            Assert.True(plan.Slices.Sum(s => Longs(s.TokenIndex).Length) > 0);
        }
        Assert.Equal(before, statistics.ThreadTotalLiveCount);
    }
}
