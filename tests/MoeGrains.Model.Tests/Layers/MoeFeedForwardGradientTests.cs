using MoeGrains.Model.Layers;
using MoeGrains.Model.Routing;
using TorchSharp;
using static MoeGrains.Model.Tests.TestTensors;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Layers;

/// <summary>
/// Analytic gradients of a float64 MoE layer (output · R summed, plus the aux loss) against central finite
/// differences, for every gate. Each perturbed evaluation re-routes from scratch (same seed for the BASE shuffle and
/// the top-2 noise) and asserts that the routing did not change, so the comparison is made with routing held fixed.
/// </summary>
public class MoeFeedForwardGradientTests
{
    private const int Tokens = 12;
    private const int Dim = 4;
    private const double Step = 1e-5;

    [Theory]
    [InlineData(GateKind.Switch, SecondExpertPolicy.All)]
    [InlineData(GateKind.Top2, SecondExpertPolicy.All)]
    [InlineData(GateKind.Top2, SecondExpertPolicy.Sampling)]
    [InlineData(GateKind.Base, SecondExpertPolicy.All)]
    [InlineData(GateKind.Hash, SecondExpertPolicy.All)]
    [InlineData(GateKind.Domain, SecondExpertPolicy.All)]
    public void Analytic_gradients_match_finite_differences(GateKind kind, SecondExpertPolicy policy)
    {
        using var scope = NewDisposeScope();
        var config = new ModelConfig("custom", VocabularySize: 16, ContextLength: Tokens, ModelDim: Dim, Layers: 1, Heads: 1,
            FeedForwardDim: 6, kind, Experts: 4, SecondExpert: policy);
        var layer = new MoeFeedForward("moe", config, layerIndex: 0);
        layer.to(ScalarType.Float64);
        layer.train();
        var generator = new Generator(42);
        using (no_grad())
        {
            foreach (var parameter in layer.parameters())
                parameter.copy_(randn(parameter.shape, ScalarType.Float64, generator: generator) * 0.7);
        }
        var hidden = randn(Tokens, Dim, ScalarType.Float64, generator: generator);
        var projection = randn(Tokens, Dim, ScalarType.Float64, generator: generator);
        var tokenIds = randint(16, [Tokens], generator: generator);
        var domainIds = randint(4, [Tokens], generator: generator);
        RoutingContext Context() => new(tokenIds, domainIds, new Generator(99));

        Tensor Loss(Tensor input, out string routing)
        {
            var result = layer.Forward(input, Context());
            routing = Signature(result.Plan);
            var loss = (result.Output * projection).sum();
            return result.Plan.AuxLoss is null ? loss : loss + result.Plan.AuxLoss;
        }

        double Evaluate(Tensor input, string expectedRouting)
        {
            using var inner = NewDisposeScope();
            var value = Loss(input, out var routing).item<double>();
            Assert.Equal(expectedRouting, routing); // the perturbation must not change the routing
            return value;
        }

        // Analytic gradients.
        var input = hidden.clone().requires_grad_(true);
        var loss = Loss(input, out var baseRouting);
        loss.backward();
        if (kind == GateKind.Switch) Assert.Contains(":[", baseRouting);

        // Input hidden states: every coordinate.
        var inputGradient = Doubles(input.grad!);
        for (var k = 0; k < Tokens * Dim; k++)
        {
            var plus = hidden.clone();
            plus.view(-1).narrow(0, k, 1).add_(Step);
            var minus = hidden.clone();
            minus.view(-1).narrow(0, k, 1).sub_(Step);
            var numeric = (Evaluate(plus, baseRouting) - Evaluate(minus, baseRouting)) / (2 * Step);
            AssertGradient(numeric, inputGradient[k], $"input[{k}]");
        }

        // Parameters (gate and experts): a few coordinates each.
        var checkedGate = false;
        foreach (var (name, parameter) in layer.named_parameters())
        {
            var analytic = parameter.grad is null ? new double[parameter.numel()] : Doubles(parameter.grad);
            var count = parameter.numel();
            foreach (var k in new[] { 0, count / 3, 2 * count / 3, count - 1 }.Distinct())
            {
                double Shifted(double delta)
                {
                    using (no_grad()) parameter.view(-1).narrow(0, k, 1).add_(delta);
                    try { return Evaluate(hidden, baseRouting); }
                    finally { using (no_grad()) parameter.view(-1).narrow(0, k, 1).sub_(delta); }
                }
                var numeric = (Shifted(Step) - Shifted(-Step)) / (2 * Step);
                AssertGradient(numeric, analytic[k], $"{name}[{k}]");
            }
            checkedGate |= name.StartsWith("gate", StringComparison.Ordinal);
        }
        Assert.Equal(kind is GateKind.Switch or GateKind.Top2 or GateKind.Base, checkedGate);
    }

    private static void AssertGradient(double numeric, double analytic, string what)
    {
        var tolerance = 1e-6 * Math.Max(Math.Abs(numeric), Math.Abs(analytic)) + 1e-8;
        Assert.True(Math.Abs(numeric - analytic) <= tolerance,
            $"{what}: finite differences {numeric:R}, autograd {analytic:R}");
    }
}
