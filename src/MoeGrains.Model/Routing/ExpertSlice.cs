using static TorchSharp.torch;

namespace MoeGrains.Model.Routing;

/// <summary>The tokens one expert processes and the weights its outputs are combined with.</summary>
/// <param name="Expert">Expert index within the layer.</param>
/// <param name="TokenIndex">Positions (rows of the flattened input) routed to this expert: long [n], in position order.</param>
/// <param name="CombineWeight">Weight of the expert's output for each of those positions: float [n]; carries gradient back into the gate.</param>
public sealed record ExpertSlice(int Expert, Tensor TokenIndex, Tensor CombineWeight)
{
    /// <summary>Number of tokens routed to this expert.</summary>
    public long Count => TokenIndex.shape[0];
}
