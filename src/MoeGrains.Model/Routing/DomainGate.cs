using static TorchSharp.torch;

namespace MoeGrains.Model.Routing;

/// <summary>
/// DEMix layers (Gururangan et al. 2021): the expert of a position is its document's domain, with weight 1 — no
/// learned routing, no capacity, no auxiliary loss.
/// </summary>
public sealed class DomainGate : Gate
{
    /// <summary>Creates the gate for domains 0 … <paramref name="experts"/> − 1.</summary>
    public DomainGate(string name, int experts) : base(name, experts) => RegisterComponents();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">
    /// The context has no domain ids, they do not match the hidden states, or an id lies outside [0, E).
    /// </exception>
    public override RoutingPlan Route(Tensor hidden, RoutingContext context)
    {
        var domains = context.DomainIds
            ?? throw new ArgumentException("The domain gate needs the domain id of every position, but the routing context has none (DomainIds is null).", nameof(context));
        using var scope = NewDisposeScope();
        var ids = FixedRouting.Ids(domains, hidden, "domain");
        FixedRouting.CheckRange(ids, Experts, "Domain", "the number of experts E");
        return FixedRouting.Plan(scope, hidden, ids, Experts);
    }
}
