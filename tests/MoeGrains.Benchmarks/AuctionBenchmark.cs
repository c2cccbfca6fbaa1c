using MoeGrains.Model;
using MoeGrains.Model.Layers;
using MoeGrains.Model.Routing;
using static TorchSharp.torch;

namespace MoeGrains.Benchmarks;

/// <summary>
/// Balanced-assignment (auction) time for T = 4096 tokens and E = 8, 32, 64, as a ratio to the forward + backward
/// time of the <c>small</c> preset's MoE layer on the same tokens. Target ≤ 0.05.
/// </summary>
internal static class AuctionBenchmark
{
    private const int Tokens = 4096;

    public static void Run()
    {
        manual_seed(1);
        var config = ModelConfig.FromPreset("small", GateKind.Switch, 258);
        using var layer = new MoeFeedForward("moe", config, 0);
        layer.train();
        using var hidden = randn(Tokens, config.ModelDim);
        using var tokenIds = zeros(Tokens, dtype: ScalarType.Int64);
        var context = new RoutingContext(tokenIds, null, null);
        void LayerStep()
        {
            using var scope = NewDisposeScope();
            var input = hidden.detach().requires_grad_();
            layer.Forward(input, context).Output.sum().backward();
            layer.zero_grad();
        }

        Console.WriteLine($"## Auction (BalancedAssignment.Solve) vs the small MoE layer's forward+backward, T = {Tokens}");
        Console.WriteLine("| experts | scores | auction ms | layer fwd+bwd ms | ratio | target |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var experts in new[] { 8, 32, 64 })
        {
            foreach (var (label, skew) in new[] { ("normal", 0f), ("skewed", 2f) })
            {
                var scores = RandomScores(experts, skew, seed: experts);
                var medians = Timing.Interleaved(warmup: 2, rounds: 15, LayerStep, () => BalancedAssignment.Solve(scores, Tokens, experts));
                var ratio = medians[1] / medians[0];
                Console.WriteLine($"| {experts} | {label} | {medians[1] * 1e3:F2} | {medians[0] * 1e3:F1} | {ratio:F4} | ≤ 0.05 {(ratio <= 0.05 ? "met" : "MISSED")} |");
            }
        }
        Console.WriteLine();
    }

    /// <summary>Standard-normal affinities; <paramref name="skew"/> is added to expert 0 so most tokens prefer it.</summary>
    private static float[] RandomScores(int experts, float skew, int seed)
    {
        var random = new Random(seed);
        var scores = new float[Tokens * experts];
        for (var i = 0; i < scores.Length; i++)
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            scores[i] = (float)normal + (i % experts == 0 ? skew : 0);
        }
        return scores;
    }
}
