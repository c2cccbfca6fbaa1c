using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MoeGrains.Model.Layers;

/// <summary>A position-wise feed-forward network: Linear(d → ff), GELU, Linear(ff → d). Used as the dense FFN and as every expert.</summary>
public sealed class ExpertFeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear up;
    private readonly Linear down;

    /// <summary>Creates the network with freshly initialised weights.</summary>
    public ExpertFeedForward(string name, int modelDim, int hiddenDim) : base(name)
    {
        up = nn.Linear(modelDim, hiddenDim);
        down = nn.Linear(hiddenDim, modelDim);
        RegisterComponents();
    }

    /// <summary>[n, d] → [n, d].</summary>
    public override Tensor forward(Tensor input)
    {
        using var hidden = up.forward(input);
        using var activated = nn.functional.gelu(hidden);
        return down.forward(activated);
    }
}
