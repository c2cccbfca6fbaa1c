using static TorchSharp.torch;

namespace MoeGrains.Model.Routing;

/// <summary>
/// Decides which experts process which tokens. Subclasses are TorchSharp modules so that gate weights
/// (router matrices, BASE centroids) are parameters of the model.
/// </summary>
public abstract class Gate : nn.Module
{
    /// <summary>Creates a gate module.</summary>
    protected Gate(string name, int experts) : base(name)
    {
        if (experts <= 0) throw new ArgumentException($"A gate needs at least one expert (got {experts}).", nameof(experts));
        Experts = experts;
    }

    /// <summary>Number of experts this gate routes to.</summary>
    public int Experts { get; }

    /// <summary>Routes the flattened hidden states <paramref name="hidden"/> [T, d].</summary>
    public abstract RoutingPlan Route(Tensor hidden, RoutingContext context);
}
