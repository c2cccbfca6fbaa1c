using MoeGrains.Model.Routing;
using TorchSharp;
using static MoeGrains.Model.Tests.Routing.SwitchGateTests;
using static MoeGrains.Model.Tests.TestTensors;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Routing;

public class Top2GateTests
{
    // Router = identity, so the hidden rows are the logits. T = 4, E = 4: training capacity 2 · ceil(4/4) = 2.
    // first/second choices: t0 1/0, t1 0/1, t2 0/2, t3 0/3.
    private static readonly double[,] Logits =
    {
        { 2, 3, 0, -1 },
        { 3, 1, 0, -1 },
        { 3, 0, 2, -1 },
        { 3, -1, 0, 1 },
    };

    private static (Top2Gate Gate, Tensor Hidden) Example(double evalFraction = 0.25)
    {
        var gate = new Top2Gate("top2", modelDim: 4, experts: 4, evalFraction);
        SetWeight(gate.Router, eye(4));
        return (gate, Matrix(Logits));
    }

    private static double Prob(int t, int e)
    {
        var z = Enumerable.Range(0, 4).Sum(j => Math.Exp(Logits[t, j]));
        return Math.Exp(Logits[t, e]) / z;
    }

    [Fact]
    public void First_choices_win_buffer_slots_over_earlier_second_choices()
    {
        using var scope = NewDisposeScope();
        var (gate, hidden) = Example();
        Assert.Equal(2, gate.Capacity(4));

        var plan = gate.Route(hidden, Context(4));

        // Expert 0: first choices t1, t2 take slots 0, 1; t3's first choice (slot 2) and t0's second choice
        // (slot 0 + 3 first choices = 3) overflow, although t0 comes first by position.
        Assert.Equal("0:[1,2] 1:[0,1] 2:[2] 3:[3]", Signature(plan));
        Assert.Equal([4L, 2L, 1L, 1L], plan.Statistics.Requested);
        Assert.Equal([2L, 2L, 1L, 1L], plan.Statistics.Processed);
        Assert.Equal(2, plan.Statistics.Dropped);
    }

    [Fact]
    public void Weights_are_renormalised_after_dropping()
    {
        using var scope = NewDisposeScope();
        var (gate, hidden) = Example();
        var plan = gate.Route(hidden, Context(4));

        double Pair(int t, int e, int other) => Prob(t, e) / (Prob(t, e) + Prob(t, other));
        AssertClose([Pair(1, 0, 1), Pair(2, 0, 2)], Doubles(plan.Slices[0].CombineWeight), 1e-6);
        AssertClose([1.0, Pair(1, 1, 0)], Doubles(plan.Slices[1].CombineWeight), 1e-6); // t0 lost its second choice
        AssertClose([Pair(2, 2, 0)], Doubles(plan.Slices[2].CombineWeight), 1e-6);
        AssertClose([1.0], Doubles(plan.Slices[3].CombineWeight), 1e-6); // t3 lost its first choice
    }

    [Fact]
    public void Aux_loss_counts_first_choices_before_dropping()
    {
        using var scope = NewDisposeScope();
        var (gate, hidden) = Example();
        var plan = gate.Route(hidden, Context(4));
        double[] fraction = [0.75, 0.25, 0, 0];
        var expected = 4 * Enumerable.Range(0, 4).Sum(e => Enumerable.Range(0, 4).Average(t => Prob(t, e)) * fraction[e]);
        Assert.Equal(expected, plan.AuxLoss!.to(ScalarType.Float64).item<double>(), 5);
    }

    [Theory]
    [InlineData(0.25, 1, "0:[1] 1:[0] 2:[2] 3:[3]")] // ceil(0.25 · 4) = 1 (no factor 2, as fairseq)
    [InlineData(0.6, 3, "0:[1,2,3] 1:[0,1] 2:[2] 3:[3]")] // ceil(0.6 · 4) = 3
    [InlineData(-1, 2, "0:[1,2] 1:[0,1] 2:[2] 3:[3]")] // negative: training capacity 2 · ceil(T/E)
    public void Evaluation_capacity_uses_the_token_fraction_unless_negative(double fraction, long capacity, string signature)
    {
        using var scope = NewDisposeScope();
        var (gate, hidden) = Example(fraction);
        gate.eval();
        Assert.Equal(capacity, gate.Capacity(4));
        Assert.Equal(signature, Signature(gate.Route(hidden, Context(4))));
    }

    [Fact]
    public void Sampling_is_deterministic_given_a_seed_and_differs_from_all()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        var hidden = randn(64, 8, generator: generator);
        var all = new Top2Gate("all", 8, 8, secondExpert: SecondExpertPolicy.All);
        var sampling = new Top2Gate("sampling", 8, 8, secondExpert: SecondExpertPolicy.Sampling);
        SetWeight(all.Router, randn(8, 8, generator: generator));
        SetWeight(sampling.Router, all.Router.weight!);

        var first = sampling.Route(hidden, Context(64, generator: new Generator(11)));
        var again = sampling.Route(hidden, Context(64, generator: new Generator(11)));
        var plain = all.Route(hidden, Context(64));
        var plainAgain = all.Route(hidden, Context(64, generator: new Generator(12)));

        Assert.Equal(Signature(first), Signature(again));
        for (var e = 0; e < 8; e++)
            Assert.Equal(Doubles(first.Slices[e].CombineWeight), Doubles(again.Slices[e].CombineWeight));
        Assert.NotEqual(Signature(plain), Signature(first));
        Assert.Equal(Signature(plain), Signature(plainAgain)); // All ignores the generator
        Assert.NotEqual(Signature(first), Signature(sampling.Route(hidden, Context(64, generator: new Generator(12)))));
    }

    [Fact]
    public void A_token_is_in_at_most_two_slices_and_never_twice_in_one()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        var gate = new Top2Gate("top2", 8, 4, secondExpert: SecondExpertPolicy.Sampling);
        var plan = gate.Route(randn(50, 8, generator: generator), Context(50, generator: generator));
        var perToken = new int[50];
        foreach (var slice in plan.Slices)
        {
            var tokens = Longs(slice.TokenIndex);
            Assert.Equal(tokens.Order(), tokens); // position order, hence no duplicates…
            Assert.Equal(tokens.Length, tokens.Distinct().Count()); // …and checked directly
            foreach (var t in tokens) perToken[t]++;
        }
        Assert.All(perToken, count => Assert.InRange(count, 0, 2));
        Assert.Equal(plan.Statistics.Processed.Sum(), perToken.Sum());
        Assert.Equal(100L, plan.Statistics.Requested.Sum());
    }

    [Fact]
    public void A_single_expert_gets_each_token_once()
    {
        using var scope = NewDisposeScope();
        var gate = new Top2Gate("top2", 3, 1);
        var plan = gate.Route(randn(5, 3), Context(5));
        Assert.Equal("0:[0,1,2,3,4]", Signature(plan));
        AssertClose([1, 1, 1, 1, 1], Doubles(plan.Slices[0].CombineWeight), 1e-6);
    }
}
