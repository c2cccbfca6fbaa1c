using static TorchSharp.torch;

namespace MoeGrains.Model.Routing;

/// <summary>
/// The gathered inputs of a routing plan's non-empty slices: what <see cref="PlanExecutor.Gather"/> produces and
/// <see cref="PlanExecutor.Combine"/> consumes.
/// </summary>
/// <param name="Slices">The non-empty slices, in expert order.</param>
/// <param name="Index">The token index of all slices concatenated: long [N].</param>
/// <param name="Inputs">Per slice, the rows of the hidden states routed to its expert [n_e, d] (views of one gathered [N, d] tensor).</param>
public sealed record RoutedTokens(IReadOnlyList<ExpertSlice> Slices, Tensor? Index, IReadOnlyList<Tensor> Inputs)
{
    /// <summary>Hands the tensors to the enclosing dispose scope.</summary>
    public RoutedTokens MoveToOuterDisposeScope()
    {
        Index?.MoveToOuterDisposeScope();
        foreach (var input in Inputs) input.MoveToOuterDisposeScope();
        return this;
    }
}
