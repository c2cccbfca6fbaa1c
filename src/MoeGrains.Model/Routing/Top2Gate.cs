using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MoeGrains.Model.Routing;

/// <summary>
/// GShard top-2 routing (Lepikhin et al. 2020), as fairseq's top2gating: the first expert is the argmax of the router
/// probabilities, the second the argmax of the logits with the first masked out (Gumbel noise added first under
/// <see cref="SecondExpertPolicy.Sampling"/>). First choices fill the expert buffers before any second choice; choices
/// beyond the capacity are dropped and the kept probabilities are renormalised to sum to one per token.
/// </summary>
/// <remarks>
/// As in fairseq, the Gumbel noise of <see cref="SecondExpertPolicy.Sampling"/> is drawn in evaluation too (from
/// <see cref="RoutingContext.Generator"/>, or the global generator when it is null), so evaluation is reproducible only
/// with a seeded generator. The capacity factor is not used (fairseq's top-2 ignores it).
/// </remarks>
public sealed class Top2Gate : Gate
{
    private readonly Linear router;

    /// <summary>Creates the gate with a freshly initialised router W_g [E, d] (no bias).</summary>
    /// <param name="name">Module name.</param>
    /// <param name="modelDim">Width d of the hidden states.</param>
    /// <param name="experts">Number of experts E.</param>
    /// <param name="evalCapacityFraction">Evaluation capacity ceil(f · T); negative ⇒ the training capacity 2 · ceil(T/E).</param>
    /// <param name="secondExpert">How the second expert is chosen.</param>
    public Top2Gate(string name, int modelDim, int experts, double evalCapacityFraction = 0.25,
        SecondExpertPolicy secondExpert = SecondExpertPolicy.All) : base(name, experts)
    {
        EvalCapacityFraction = evalCapacityFraction;
        SecondExpert = secondExpert;
        router = nn.Linear(modelDim, experts, hasBias: false);
        RegisterComponents();
    }

    /// <summary>The router W_g: Linear(d → E) without bias.</summary>
    public Linear Router => router;

    /// <summary>Evaluation capacity fraction f (negative ⇒ training capacity in evaluation too).</summary>
    public double EvalCapacityFraction { get; }

    /// <summary>How the second expert is chosen.</summary>
    public SecondExpertPolicy SecondExpert { get; }

    /// <summary>
    /// Per-expert capacity for <paramref name="tokens"/> tokens in the current mode: 2 · ceil(T/E) while training,
    /// ceil(f · T) in evaluation (f &gt; 0). Like fairseq, the capacity factor does not apply to top-2.
    /// </summary>
    public long Capacity(long tokens) => ExpertCapacity.Top2(tokens, Experts, EvalCapacityFraction, training);

    /// <inheritdoc />
    public override RoutingPlan Route(Tensor hidden, RoutingContext context)
    {
        using var scope = NewDisposeScope();
        var tokens = hidden.shape[0];
        var capacity = context.Dropless ? tokens : Capacity(tokens); // T slots: nothing can overflow
        var logits = router.forward(hidden).to(GateMath.ComputeType(hidden)); // [T, E]
        var probs = nn.functional.softmax(logits, 1); // [T, E]
        var firstMask = nn.functional.one_hot(probs.argmax(1), Experts); // [T, E] long
        var secondMask = SecondChoice(logits, firstMask, context.Generator); // [T, E] long

        // Buffer slots: first choices in position order, then second choices after all first choices of the expert.
        var firstLocation = firstMask.cumsum(0) - 1; // [T, E]
        var secondLocation = secondMask.cumsum(0) - 1 + firstMask.sum(dim: 0, keepdim: true); // [T, E]
        var keepFirst = firstMask.to(ScalarType.Bool).logical_and(firstLocation.lt(capacity)); // [T, E]
        var keepSecond = secondMask.to(ScalarType.Bool).logical_and(secondLocation.lt(capacity)); // [T, E]
        var keep = keepFirst.logical_or(keepSecond); // [T, E]; first and second experts differ

        // Renormalise the kept probabilities: g_i / max(g1 + g2, eps).
        var kept = probs * keep.to(probs.dtype); // [T, E]
        var denominator = kept.sum(1, keepdim: true).clamp_min(GateMath.Epsilon(probs.dtype)); // [T, 1]
        var weights = kept / denominator; // [T, E]

        var auxLoss = GateMath.LoadBalancingLoss(probs, firstMask);
        var requested = (firstMask + secondMask).sum(dim: 0); // [E]
        return RoutingPlanBuilder.Build(scope, keep, weights, auxLoss, requested, GateMath.MeanEntropy(logits));
    }

    private Tensor SecondChoice(Tensor logits, Tensor firstMask, Generator? generator)
    {
        // With a single expert there is no second choice (masking the first would leave only -inf).
        if (Experts == 1) return zeros_like(firstMask);
        var candidates = SecondExpert == SecondExpertPolicy.Sampling ? logits + GumbelNoise(logits, generator) : logits;
        var masked = candidates.masked_fill(firstMask.to(ScalarType.Bool), double.NegativeInfinity); // [T, E]
        return nn.functional.one_hot(masked.argmax(1), Experts);
    }

    /// <summary>Standard Gumbel samples −log(−log U), U ~ Uniform(0, 1), shaped like <paramref name="like"/>.</summary>
    private static Tensor GumbelNoise(Tensor like, Generator? generator)
    {
        var uniform = rand(like.shape, like.dtype, like.device, generator: generator)
            .clamp_min(GateMath.Epsilon(like.dtype)); // avoid log(0)
        return -(-uniform.log()).log();
    }
}
