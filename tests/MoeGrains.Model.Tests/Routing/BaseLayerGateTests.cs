using MoeGrains.Model.Routing;
using TorchSharp;
using static MoeGrains.Model.Tests.Routing.SwitchGateTests;
using static MoeGrains.Model.Tests.TestTensors;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Routing;

public class BaseLayerGateTests
{
    // Every token has its highest affinity with expert 0, so greedy routing sends all of them there and only the
    // balanced assignment can spread them.
    private static (BaseLayerGate Gate, Tensor Hidden) AllPreferExpertZero(int tokens, int experts, int dim = 4)
    {
        var gate = new BaseLayerGate("base", dim, experts);
        using (no_grad()) gate.Centroids.copy_(eye(experts, dim));
        var generator = new Generator(1);
        var hidden = rand(tokens, dim, generator: generator) * 0.5;
        hidden[TensorIndex.Colon, 0] = hidden[TensorIndex.Colon, 0] + 1; // coordinate 0 dominates
        return (gate, hidden);
    }

    [Fact]
    public void Balanced_assignment_pads_when_experts_do_not_divide_tokens()
    {
        using var scope = NewDisposeScope();
        var (gate, hidden) = AllPreferExpertZero(tokens: 10, experts: 4);

        var plan = gate.Route(hidden, Context(10, generator: new Generator(7)));

        var assigned = plan.Slices.SelectMany(s => Longs(s.TokenIndex)).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 10).Select(t => (long)t), assigned); // every token exactly once
        // 10 tokens + 2 dummies = 3 per expert; the dummies can take at most 2 of those slots.
        Assert.All(plan.Statistics.Processed, count => Assert.InRange(count, 1L, 3L));
        Assert.Equal(plan.Statistics.Requested, plan.Statistics.Processed);
        Assert.Null(plan.AuxLoss);
        foreach (var slice in plan.Slices)
        {
            var tokens = Longs(slice.TokenIndex);
            Assert.Equal(tokens.Order(), tokens); // position order after un-shuffling
        }
    }

    [Fact]
    public void Balanced_assignment_gives_every_expert_the_same_count_when_it_divides()
    {
        using var scope = NewDisposeScope();
        var (gate, hidden) = AllPreferExpertZero(tokens: 12, experts: 4);
        var plan = gate.Route(hidden, Context(12, generator: new Generator(7)));
        Assert.Equal([3L, 3L, 3L, 3L], plan.Statistics.Processed);
    }

    [Fact]
    public void Balanced_assignment_maps_back_to_the_original_positions()
    {
        using var scope = NewDisposeScope();
        // Preferred experts 0 0 1 1 2 2 3 3 0 1 fit the balanced quota (3 per expert with 2 dummies), so the
        // optimum is the preference itself; a missing un-shuffle would scramble it.
        long[] preferred = [0, 0, 1, 1, 2, 2, 3, 3, 0, 1];
        var gate = new BaseLayerGate("base", 4, 4);
        using (no_grad()) gate.Centroids.copy_(eye(4));
        var hidden = nn.functional.one_hot(tensor(preferred), 4).to(ScalarType.Float32);
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var plan = gate.Route(hidden, Context(10, generator: new Generator(seed)));
            Assert.Equal("0:[0,1,8] 1:[2,3,9] 2:[4,5] 3:[6,7]", Signature(plan));
        }
    }

    [Fact]
    public void Balanced_assignment_is_reproducible_with_a_seeded_generator()
    {
        using var scope = NewDisposeScope();
        var gate = new BaseLayerGate("base", 6, 3);
        var hidden = randn(15, 6, generator: new Generator(2));
        var first = gate.Route(hidden, Context(15, generator: new Generator(9)));
        var second = gate.Route(hidden, Context(15, generator: new Generator(9)));
        Assert.Equal(Signature(first), Signature(second));
    }

    [Fact]
    public void Without_gradients_routing_is_greedy_top1_without_capacity()
    {
        using var scope = NewDisposeScope();
        var (gate, hidden) = AllPreferExpertZero(tokens: 10, experts: 4);
        RoutingPlan plan;
        using (no_grad()) plan = gate.Route(hidden, Context(10, generator: new Generator(7)));

        Assert.Equal("0:[0,1,2,3,4,5,6,7,8,9] 1:[] 2:[] 3:[]", Signature(plan));
        Assert.Equal([10L, 0L, 0L, 0L], plan.Statistics.Processed);
    }

    [Fact]
    public void Combine_weight_is_the_sigmoid_of_the_centroid_affinity_with_gradient()
    {
        using var scope = NewDisposeScope();
        var gate = new BaseLayerGate("base", 3, 2);
        using (no_grad()) gate.Centroids.copy_(Matrix(new double[,] { { 1, 0, 0 }, { 0, 2, 0 } }));
        var hidden = Matrix(new double[,] { { 0.5, 0.1, 9 }, { 0.2, 0.3, -9 } });

        RoutingPlan greedy;
        using (no_grad()) greedy = gate.Route(hidden, Context(2));
        Assert.Equal("0:[0] 1:[1]", Signature(greedy));
        AssertClose([Sigmoid(0.5)], Doubles(greedy.Slices[0].CombineWeight), 1e-6);
        AssertClose([Sigmoid(0.6)], Doubles(greedy.Slices[1].CombineWeight), 1e-6);

        var trained = gate.Route(hidden, Context(2, generator: new Generator(1)));
        Assert.True(trained.Slices[0].CombineWeight.requires_grad);
        Assert.Equal(0, trained.Statistics.Dropped);
    }

    [Fact]
    public void Entropy_is_that_of_the_affinity_softmax()
    {
        using var scope = NewDisposeScope();
        var gate = new BaseLayerGate("base", 2, 2);
        using (no_grad()) gate.Centroids.copy_(eye(2));
        var hidden = Matrix(new double[,] { { 1, 0 }, { 0, 0 } });
        RoutingPlan plan;
        using (no_grad()) plan = gate.Route(hidden, Context(2));
        var p = Sigmoid(1);
        var expected = (-(p * Math.Log(p) + (1 - p) * Math.Log(1 - p)) + Math.Log(2)) / 2;
        Assert.Equal(expected, plan.Statistics.GateEntropy, 6);
    }

    [Fact]
    public void Centroids_are_orthogonal_with_gain_one_tenth()
    {
        using var scope = NewDisposeScope();
        var gate = new BaseLayerGate("base", 8, 4);
        var gram = gate.Centroids.matmul(gate.Centroids.t()); // [E, E] = 0.01 · I
        AssertClose(Doubles(eye(4) * 0.01), Doubles(gram), 1e-6);
        Assert.Single(gate.parameters());
    }
}
