using MoeGrains.Model.Routing;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MoeGrains.Model.Layers;

/// <summary>A sparse mixture-of-experts feed-forward layer: a gate and E expert FFNs.</summary>
public sealed class MoeFeedForward : nn.Module
{
    private readonly Gate gate;
    private readonly ModuleList<ExpertFeedForward> experts;

    /// <summary>Creates the layer for block <paramref name="layerIndex"/> of <paramref name="config"/>.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="config">The model configuration.</param>
    /// <param name="layerIndex">The block this layer belongs to.</param>
    /// <param name="withExperts">
    /// False builds the router side only: the gate without expert modules (the experts live in expert shards). The
    /// gate's parameter names are the same either way.
    /// </param>
    public MoeFeedForward(string name, ModelConfig config, int layerIndex, bool withExperts = true) : base(name)
    {
        gate = GateFactory.Create(config, layerIndex);
        experts = new ModuleList<ExpertFeedForward>();
        if (withExperts)
        {
            for (var e = 0; e < config.Experts; e++)
                experts.Add(new ExpertFeedForward($"expert{e}", config.ModelDim, config.FeedForwardDim));
        }
        HasExperts = withExperts;
        RegisterComponents();
    }

    /// <summary>False for a router-side layer built without expert modules.</summary>
    public bool HasExperts { get; }

    /// <summary>The layer's gate.</summary>
    public Gate Gate => gate;

    /// <summary>The layer's experts, by index (empty when built without experts).</summary>
    public IReadOnlyList<ExpertFeedForward> Experts => [.. experts];

    /// <summary>Routes and processes flattened hidden states [T, d].</summary>
    /// <exception cref="InvalidOperationException">The layer was built without experts.</exception>
    public MoeLayerOutput Forward(Tensor hidden, RoutingContext context)
    {
        if (!HasExperts)
            throw new InvalidOperationException("This MoE layer was built without experts (router side); run its experts through an expert executor.");
        var plan = gate.Route(hidden, context);
        var output = PlanExecutor.Execute(hidden, plan, (expert, inputs) => experts[expert].forward(inputs));
        return new MoeLayerOutput(output, plan);
    }
}
