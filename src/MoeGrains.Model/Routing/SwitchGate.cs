using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MoeGrains.Model.Routing;

/// <summary>
/// Switch Transformer top-1 routing (Fedus et al. 2021): a linear router picks one expert per token, each expert
/// keeps its first C tokens by position and drops the rest, and the combine weight is the router probability of
/// the chosen expert. The plan carries the load-balancing loss E · Σ_e m_e · c_e.
/// </summary>
public sealed class SwitchGate : Gate
{
    private readonly Linear router;

    /// <summary>Creates the gate with a freshly initialised router W_g [E, d] (no bias).</summary>
    /// <param name="name">Module name.</param>
    /// <param name="modelDim">Width d of the hidden states.</param>
    /// <param name="experts">Number of experts E.</param>
    /// <param name="capacityFactor">Training capacity factor cf: capacity int(cf · ceil(T/E)).</param>
    /// <param name="evalCapacityFraction">Evaluation capacity ceil(f · T); negative ⇒ the training capacity.</param>
    public SwitchGate(string name, int modelDim, int experts, double capacityFactor = 1.0, double evalCapacityFraction = 0.25)
        : base(name, experts)
    {
        if (capacityFactor <= 0) throw new ArgumentException($"The capacity factor must be positive (got {capacityFactor}).", nameof(capacityFactor));
        CapacityFactor = capacityFactor;
        EvalCapacityFraction = evalCapacityFraction;
        router = nn.Linear(modelDim, experts, hasBias: false);
        RegisterComponents();
    }

    /// <summary>The router W_g: Linear(d → E) without bias.</summary>
    public Linear Router => router;

    /// <summary>Training capacity factor cf.</summary>
    public double CapacityFactor { get; }

    /// <summary>Evaluation capacity fraction f (negative ⇒ training capacity in evaluation too).</summary>
    public double EvalCapacityFraction { get; }

    /// <summary>Per-expert capacity for a routing group of <paramref name="tokens"/> tokens in the current mode (training flag).</summary>
    public long Capacity(long tokens) => ExpertCapacity.Switch(tokens, Experts, CapacityFactor, EvalCapacityFraction, training);

    /// <inheritdoc />
    public override RoutingPlan Route(Tensor hidden, RoutingContext context)
    {
        using var scope = NewDisposeScope();
        var tokens = hidden.shape[0];
        var capacity = context.Dropless ? tokens : Capacity(tokens); // T slots: nothing can overflow
        var logits = router.forward(hidden).to(GateMath.ComputeType(hidden)); // [T, E]
        var probs = nn.functional.softmax(logits, 1); // [T, E]
        var first = probs.argmax(1); // [T]
        var firstMask = nn.functional.one_hot(first, Experts); // [T, E] long
        var location = firstMask.cumsum(0) - 1; // [T, E]: buffer slot of each token at its expert
        var keep = firstMask.to(ScalarType.Bool).logical_and(location.lt(capacity)); // [T, E]
        var weights = probs * keep.to(probs.dtype); // [T, E]
        var auxLoss = GateMath.LoadBalancingLoss(probs, firstMask);
        var requested = firstMask.sum(dim: 0); // [E]
        return RoutingPlanBuilder.Build(scope, keep, weights, auxLoss, requested, GateMath.MeanEntropy(logits));
    }
}
