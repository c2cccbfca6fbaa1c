using MoeGrains.Model.Routing;
using static MoeGrains.Model.Tests.TestTensors;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Routing;

public class SwitchGateTests
{
    // Router = identity, hidden rows (x_t, 0): logits (x_t, 0), so p_t(expert 0) = sigmoid(x_t) and the first choice is
    // expert 0 exactly when x_t > 0. Experts: 0 0 1 0 0 0 1 0 → expert 0 is asked by 6 tokens, expert 1 by 2.
    private static readonly double[] X = [2, 1, -1, 0.5, 3, 1.5, -2, 0.25];

    private static (SwitchGate Gate, Tensor Hidden) Example(double capacityFactor = 1.0, double evalFraction = 0.25)
    {
        var gate = new SwitchGate("switch", modelDim: 2, experts: 2, capacityFactor, evalFraction);
        SetWeight(gate.Router, eye(2));
        var rows = new double[X.Length, 2];
        for (var t = 0; t < X.Length; t++) rows[t, 0] = X[t];
        return (gate, Matrix(rows));
    }

    private static double P0(int t) => Sigmoid(X[t]);

    [Fact]
    public void Training_capacity_drops_the_latest_positions_and_weights_are_raw_probabilities()
    {
        using var scope = NewDisposeScope();
        var (gate, hidden) = Example();
        Assert.Equal(4, gate.Capacity(8)); // int(1.0 · ceil(8 / 2))

        var plan = gate.Route(hidden, Context(8));

        Assert.Equal(8, plan.Tokens);
        Assert.Equal("0:[0,1,3,4] 1:[2,6]", Signature(plan)); // tokens 5 and 7 overflow expert 0
        Assert.Equal([6L, 2L], plan.Statistics.Requested);
        Assert.Equal([4L, 2L], plan.Statistics.Processed);
        Assert.Equal(2, plan.Statistics.Dropped);
        Assert.Equal(25.0, plan.Statistics.OverflowPercent, 10);

        double[] expected0 = [P0(0), P0(1), P0(3), P0(4)];
        double[] expected1 = [1 - P0(2), 1 - P0(6)];
        AssertClose(expected0, Doubles(plan.Slices[0].CombineWeight), 1e-6);
        AssertClose(expected1, Doubles(plan.Slices[1].CombineWeight), 1e-6);
        Assert.True(plan.Slices[0].CombineWeight.requires_grad);
    }

    [Fact]
    public void Aux_loss_and_entropy_match_hand_computation()
    {
        using var scope = NewDisposeScope();
        var (gate, hidden) = Example();
        var plan = gate.Route(hidden, Context(8));

        var m0 = Enumerable.Range(0, 8).Average(P0);
        var m1 = 1 - m0;
        var expectedAux = 2 * (m0 * 6 / 8 + m1 * 2 / 8); // c_e counted before dropping
        Assert.NotNull(plan.AuxLoss);
        Assert.Equal(0, plan.AuxLoss!.dim());
        Assert.Equal(expectedAux, plan.AuxLoss.to(ScalarType.Float64).item<double>(), 5);
        Assert.True(plan.AuxLoss.requires_grad);

        var entropy = Enumerable.Range(0, 8).Average(t => -(P0(t) * Math.Log(P0(t)) + (1 - P0(t)) * Math.Log(1 - P0(t))));
        Assert.Equal(entropy, plan.Statistics.GateEntropy, 6);
    }

    [Theory]
    [InlineData(1.5, 6, "0:[0,1,3,4,5,7] 1:[2,6]")] // int(1.5 · 4) = 6: nothing dropped
    [InlineData(0.6, 2, "0:[0,1] 1:[2,6]")] // int(0.6 · 4) = 2
    public void Training_capacity_follows_the_capacity_factor(double factor, long capacity, string signature)
    {
        using var scope = NewDisposeScope();
        var (gate, hidden) = Example(factor);
        Assert.Equal(capacity, gate.Capacity(8));
        Assert.Equal(signature, Signature(gate.Route(hidden, Context(8))));
    }

    [Theory]
    [InlineData(1.0, 0.25, 2, "0:[0,1] 1:[2,6]")] // ceil(0.25 · 8) = 2
    [InlineData(1.0, 0.3, 3, "0:[0,1,3] 1:[2,6]")] // ceil(0.3 · 8) = 3
    [InlineData(1.0, -1, 4, "0:[0,1,3,4] 1:[2,6]")] // negative: the training capacity int(1.0 · 4)
    [InlineData(1.5, -1, 6, "0:[0,1,3,4,5,7] 1:[2,6]")] // negative: the training capacity int(1.5 · 4)
    public void Evaluation_capacity_uses_the_token_fraction_unless_negative(double factor, double fraction, long capacity, string signature)
    {
        using var scope = NewDisposeScope();
        var (gate, hidden) = Example(factor, fraction);
        gate.eval();
        Assert.Equal(capacity, gate.Capacity(8));
        var plan = gate.Route(hidden, Context(8));
        Assert.Equal(signature, Signature(plan));
        Assert.Equal([6L, 2L], plan.Statistics.Requested);
    }

    [Fact]
    public void Four_experts_route_to_the_argmax_in_position_order()
    {
        using var scope = NewDisposeScope();
        var gate = new SwitchGate("switch", modelDim: 4, experts: 4);
        SetWeight(gate.Router, eye(4));
        // T = 8, E = 4: capacity int(1.0 · 2) = 2. Argmax experts: 3 3 3 1 0 3 1 1.
        var hidden = Matrix(new double[,]
        {
            { 0, 0, 0, 1 }, { 0, 0, 0, 2 }, { 1, 0, 0, 3 }, { 0, 1, 0, 0 },
            { 4, 0, 0, 0 }, { 0, 0, 0, 1 }, { 0, 2, 0, 0 }, { 0, 3, 1, 0 },
        });
        var plan = gate.Route(hidden, Context(8));
        Assert.Equal("0:[4] 1:[3,6] 2:[] 3:[0,1]", Signature(plan));
        Assert.Equal([1L, 3L, 0L, 4L], plan.Statistics.Requested);
        Assert.Equal(3, plan.Statistics.Dropped);
    }

    internal static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"[{i}]: expected {expected[i]}, got {actual[i]}");
    }
}
