using static TorchSharp.torch;

namespace MoeGrains.Model.Routing;

/// <summary>Numerics shared by the gates: the routing precision, gate entropy and the load-balancing loss.</summary>
internal static class GateMath
{
    /// <summary>
    /// The type routing probabilities are computed in: float32, or float64 when the hidden states are float64
    /// (gradient checks). Half-precision inputs are upcast, as fairseq's --moe-gating-use-fp32 does.
    /// </summary>
    public static ScalarType ComputeType(Tensor hidden) =>
        hidden.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;

    /// <summary>Machine epsilon of a floating type (torch.finfo(dtype).eps).</summary>
    public static double Epsilon(ScalarType type) =>
        type == ScalarType.Float64 ? 2.220446049250313e-16 : 1.1920928955078125e-07;

    /// <summary>Mean over tokens of the entropy (nats) of softmax(<paramref name="logits"/>) [T, E]; no gradient.</summary>
    public static double MeanEntropy(Tensor logits)
    {
        if (logits.shape[0] == 0) return 0;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var logProbs = nn.functional.log_softmax(logits, 1); // [T, E]
        var perToken = -(logProbs.exp() * logProbs).sum(1); // [T]
        return perToken.mean().to(ScalarType.Float64).item<double>();
    }

    /// <summary>
    /// Switch/GShard load-balancing loss E · Σ_e m_e · c_e, with m_e the mean probability of expert e over all tokens
    /// (differentiable) and c_e the fraction of tokens whose first choice is e, counted before dropping.
    /// </summary>
    /// <param name="probs">Gate probabilities [T, E].</param>
    /// <param name="firstChoice">One-hot first choices [T, E] (any numeric type).</param>
    public static Tensor LoadBalancingLoss(Tensor probs, Tensor firstChoice)
    {
        var experts = probs.shape[1];
        using var scope = NewDisposeScope();
        var meanProb = probs.mean([0]); // [E]
        var fraction = firstChoice.to(probs.dtype).mean([0]); // [E]
        return ((meanProb * fraction).sum() * experts).MoveToOuterDisposeScope();
    }
}
