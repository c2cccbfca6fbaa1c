using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MoeGrains.Model.Routing;

/// <summary>
/// BASE layers (Lewis et al. 2021): each expert has a centroid c_e; token–expert affinities h · c_e decide routing.
/// While gradients are enabled, tokens are shuffled and solved as a balanced linear assignment (every expert gets
/// the same number of tokens, nothing is dropped); otherwise each token goes greedily to its highest-affinity expert.
/// The combine weight sigmoid(h · c_e) is differentiable in h and the centroids, so with the block residual a routed
/// token becomes h + sigmoid(h · c_e) · FFN_e(h). No auxiliary loss.
/// </summary>
/// <remarks>
/// Differences from fairseq's BaseLayer: the balanced/greedy switch is <c>torch.is_grad_enabled()</c> rather than
/// <c>input.requires_grad</c>; T need not be a multiple of E (constant dummy rows pad the auction and are discarded);
/// the shuffle is a permutation within the routing group (there are no workers to scatter to); and the auction runs
/// on float32 scores on the CPU.
/// </remarks>
public sealed class BaseLayerGate : Gate
{
    private readonly Parameter centroids;

    /// <summary>Creates the gate with orthogonally initialised centroids (gain 0.1), as fairseq's BaseLayer.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="modelDim">Width d of the hidden states.</param>
    /// <param name="experts">Number of experts E.</param>
    public BaseLayerGate(string name, int modelDim, int experts) : base(name, experts)
    {
        using (no_grad())
        {
            var initial = empty(experts, modelDim);
            nn.init.orthogonal_(initial, gain: 0.1);
            centroids = new Parameter(initial);
        }
        RegisterComponents();
    }

    /// <summary>The expert centroids [E, d].</summary>
    public Parameter Centroids => centroids;

    /// <inheritdoc />
    public override RoutingPlan Route(Tensor hidden, RoutingContext context)
    {
        var balanced = is_grad_enabled();
        using var scope = NewDisposeScope();
        Tensor expert; // [T] long
        double entropy;
        using (no_grad())
        {
            var affinities = hidden.matmul(centroids.t()); // [T, E]
            entropy = GateMath.MeanEntropy(affinities.to(GateMath.ComputeType(hidden)));
            expert = balanced ? BalancedExperts(affinities, context) : affinities.argmax(1);
        }

        var chosenCentroids = centroids.index_select(0, expert); // [T, d]
        var affinity = (hidden * chosenCentroids).sum(1).to(GateMath.ComputeType(hidden)); // [T], with gradient
        var gate = affinity.sigmoid();
        var keep = nn.functional.one_hot(expert, Experts).to(ScalarType.Bool); // [T, E]
        var weights = gate.unsqueeze(1) * keep.to(gate.dtype); // [T, E]
        return RoutingPlanBuilder.Build(scope, keep, weights, auxLoss: null, requested: null, entropy);
    }

    /// <summary>
    /// Shuffles the tokens (breaking correlations within the batch, as fairseq's base_shuffle), pads them with
    /// constant dummy rows to a multiple of E (fairseq would hang otherwise), solves the balanced assignment,
    /// drops the dummies and undoes the shuffle.
    /// </summary>
    private Tensor BalancedExperts(Tensor affinities, RoutingContext context)
    {
        var tokens = affinities.shape[0];
        if (tokens == 0) return empty(0, dtype: ScalarType.Int64, device: affinities.device);
        var permutation = randperm(tokens, generator: context.Generator).to(affinities.device); // [T]
        var scores = affinities.index_select(0, permutation).to(ScalarType.Float32); // [T, E]

        // Non-finite scores break the auction: replace them with the smallest finite score (as fairseq does).
        var finite = scores.isfinite();
        var finiteScores = scores.masked_select(finite);
        var floor = finiteScores.numel() > 0 ? finiteScores.min() : tensor(0f); // scalar
        scores = where(finite, scores, floor);

        var padding = (Experts - tokens % Experts) % Experts;
        if (padding > 0)
            scores = cat([scores, floor.expand(padding, Experts)], 0); // [T + padding, E]; dummies are indifferent

        var flat = scores.contiguous().cpu().data<float>().ToArray();
        var assignment = BalancedAssignment.Solve(flat, (int)(tokens + padding), Experts);
        var shuffledExpert = tensor(assignment).narrow(0, 0, tokens).to(ScalarType.Int64).to(affinities.device); // [T]: expert of permutation[i]
        return zeros(tokens, ScalarType.Int64, affinities.device).scatter(0, permutation, shuffledExpert);
    }
}
