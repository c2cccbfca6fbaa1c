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
    public MoeFeedForward(string name, ModelConfig config, int layerIndex) : base(name)
    {
        gate = GateFactory.Create(config, layerIndex);
        experts = new ModuleList<ExpertFeedForward>();
        for (var e = 0; e < config.Experts; e++)
            experts.Add(new ExpertFeedForward($"expert{e}", config.ModelDim, config.FeedForwardDim));
        RegisterComponents();
    }

    /// <summary>The layer's gate.</summary>
    public Gate Gate => gate;

    /// <summary>The layer's experts, by index.</summary>
    public IReadOnlyList<ExpertFeedForward> Experts => [.. experts];

    /// <summary>Routes and processes flattened hidden states [T, d].</summary>
    public MoeLayerOutput Forward(Tensor hidden, RoutingContext context)
    {
        var plan = gate.Route(hidden, context);
        var output = PlanExecutor.Execute(hidden, plan, (expert, inputs) => experts[expert].forward(inputs));
        return new MoeLayerOutput(output, plan);
    }
}
