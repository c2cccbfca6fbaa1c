using MoeGrains.Model.Routing;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MoeGrains.Model.Layers;

/// <summary>A pre-LayerNorm transformer block: x + Attn(LN(x)), then x + FFN(LN(x)) where FFN is dense or a MoE layer.</summary>
/// <remarks>
/// The sub-steps (<see cref="AttentionSublayer"/>, <see cref="FeedForwardInput"/>, <see cref="DenseFeedForward"/>, the
/// gate of <see cref="Moe"/>) are public so that a distributed router runs exactly the math <see cref="Forward"/> runs.
/// </remarks>
public sealed class TransformerBlock : nn.Module
{
    private readonly LayerNorm attentionNorm;
    private readonly CausalSelfAttention attention;
    private readonly LayerNorm feedForwardNorm;
    private readonly ExpertFeedForward? denseFeedForward;
    private readonly MoeFeedForward? moeFeedForward;

    /// <summary>Creates block <paramref name="layerIndex"/> of <paramref name="config"/>.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="config">The model configuration.</param>
    /// <param name="layerIndex">Index of the block, bottom first.</param>
    /// <param name="withExperts">False builds a MoE block's gate without its experts (router side).</param>
    public TransformerBlock(string name, ModelConfig config, int layerIndex, bool withExperts = true) : base(name)
    {
        attentionNorm = nn.LayerNorm(config.ModelDim);
        attention = new CausalSelfAttention("attention", config.ModelDim, config.Heads);
        feedForwardNorm = nn.LayerNorm(config.ModelDim);
        if (config.IsMoeLayer(layerIndex))
            moeFeedForward = new MoeFeedForward("moe", config, layerIndex, withExperts);
        else
            denseFeedForward = new ExpertFeedForward("ffn", config.ModelDim, config.FeedForwardDim);
        RegisterComponents();
    }

    /// <summary>The MoE layer of this block, or null when the block is dense.</summary>
    public MoeFeedForward? Moe => moeFeedForward;

    /// <summary>The first residual sublayer: x + Attn(LN1(x)), [B, L, d] → [B, L, d].</summary>
    public Tensor AttentionSublayer(Tensor input)
    {
        using var normed = attentionNorm.forward(input);
        using var attended = attention.forward(normed);
        return input + attended;
    }

    /// <summary>The feed-forward sublayer's input LN2(a), [B, L, d] → [B, L, d].</summary>
    public Tensor FeedForwardInput(Tensor attended) => feedForwardNorm.forward(attended);

    /// <summary>The dense feed-forward network of a dense block, [.., d] → [.., d] (without the residual).</summary>
    /// <exception cref="InvalidOperationException">The block is a MoE block.</exception>
    public Tensor DenseFeedForward(Tensor normed) =>
        (denseFeedForward ?? throw new InvalidOperationException("This block has a MoE layer, not a dense feed-forward network."))
        .forward(normed);

    /// <summary>[B, L, d] → [B, L, d].</summary>
    public BlockOutput Forward(Tensor input, RoutingContext context)
    {
        using var scope = NewDisposeScope();
        var x = AttentionSublayer(input);
        var normed = FeedForwardInput(x);
        if (moeFeedForward is null)
            return new BlockOutput((x + DenseFeedForward(normed)).MoveToOuterDisposeScope(), null);

        var shape = normed.shape;
        var moe = moeFeedForward.Forward(normed.reshape(-1, shape[2]), context);
        var hidden = (x + moe.Output.view(shape)).MoveToOuterDisposeScope();
        return new BlockOutput(hidden, moe.Plan.MoveToOuterDisposeScope());
    }
}
