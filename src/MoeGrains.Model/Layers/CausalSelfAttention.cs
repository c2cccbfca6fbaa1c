using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MoeGrains.Model.Layers;

/// <summary>Multi-head causal self-attention.</summary>
public sealed class CausalSelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear queryKeyValue;
    private readonly Linear projection;
    private readonly int heads;

    /// <summary>Creates the attention sublayer.</summary>
    public CausalSelfAttention(string name, int modelDim, int heads) : base(name)
    {
        this.heads = heads;
        queryKeyValue = nn.Linear(modelDim, 3 * modelDim);
        projection = nn.Linear(modelDim, modelDim);
        RegisterComponents();
    }

    /// <summary>[B, L, d] → [B, L, d]; position i attends to positions ≤ i.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var (batch, length, width) = (input.shape[0], input.shape[1], input.shape[2]);
        var headDim = width / heads;
        var qkv = queryKeyValue.forward(input).view(batch, length, 3, heads, headDim).permute(2, 0, 3, 1, 4); // [3, B, H, L, hd]
        var attended = nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], is_casual: true); // [B, H, L, hd]
        var merged = attended.transpose(1, 2).reshape(batch, length, width);
        return projection.forward(merged).MoveToOuterDisposeScope();
    }
}
