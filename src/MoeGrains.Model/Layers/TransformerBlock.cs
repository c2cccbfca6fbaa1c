using MoeGrains.Model.Routing;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MoeGrains.Model.Layers;

/// <summary>A pre-LayerNorm transformer block: x + Attn(LN(x)), then x + FFN(LN(x)) where FFN is dense or a MoE layer.</summary>
public sealed class TransformerBlock : nn.Module
{
    private readonly LayerNorm attentionNorm;
    private readonly CausalSelfAttention attention;
    private readonly LayerNorm feedForwardNorm;
    private readonly ExpertFeedForward? denseFeedForward;
    private readonly MoeFeedForward? moeFeedForward;

    /// <summary>Creates block <paramref name="layerIndex"/> of <paramref name="config"/>.</summary>
    public TransformerBlock(string name, ModelConfig config, int layerIndex) : base(name)
    {
        attentionNorm = nn.LayerNorm(config.ModelDim);
        attention = new CausalSelfAttention("attention", config.ModelDim, config.Heads);
        feedForwardNorm = nn.LayerNorm(config.ModelDim);
        if (config.IsMoeLayer(layerIndex))
            moeFeedForward = new MoeFeedForward("moe", config, layerIndex);
        else
            denseFeedForward = new ExpertFeedForward("ffn", config.ModelDim, config.FeedForwardDim);
        RegisterComponents();
    }

    /// <summary>The MoE layer of this block, or null when the block is dense.</summary>
    public MoeFeedForward? Moe => moeFeedForward;

    /// <summary>[B, L, d] → [B, L, d].</summary>
    public BlockOutput Forward(Tensor input, RoutingContext context)
    {
        using var scope = NewDisposeScope();
        var x = input + attention.forward(attentionNorm.forward(input));
        var normed = feedForwardNorm.forward(x);
        if (moeFeedForward is null)
            return new BlockOutput((x + denseFeedForward!.forward(normed)).MoveToOuterDisposeScope(), null);

        var shape = normed.shape;
        var moe = moeFeedForward.Forward(normed.reshape(-1, shape[2]), context);
        var hidden = (x + moe.Output.view(shape)).MoveToOuterDisposeScope();
        return new BlockOutput(hidden, moe.Plan.MoveToOuterDisposeScope());
    }
}
