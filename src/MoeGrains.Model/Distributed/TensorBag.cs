using MoeGrains.Model.Routing;
using static TorchSharp.torch;

namespace MoeGrains.Model.Distributed;

/// <summary>
/// Tensors that must outlive a synchronous section of an async step. TorchSharp's dispose scopes are per thread and an
/// await may resume on another thread, so every section runs in its own scope and hands what later sections need to
/// the bag, which frees them when the step ends.
/// </summary>
internal sealed class TensorBag : IDisposable
{
    private readonly List<Tensor> tensors = [];

    /// <summary>Takes <paramref name="tensor"/> out of the dispose-scope system and frees it with the bag.</summary>
    public Tensor Keep(Tensor tensor)
    {
        tensors.Add(tensor.DetachFromDisposeScope());
        return tensor;
    }

    /// <summary>Keeps a possibly-null tensor.</summary>
    public Tensor? KeepOptional(Tensor? tensor) => tensor is null ? null : Keep(tensor);

    /// <summary>Keeps every tensor of a routing plan.</summary>
    public RoutingPlan Keep(RoutingPlan plan)
    {
        KeepOptional(plan.AuxLoss);
        foreach (var slice in plan.Slices)
        {
            Keep(slice.TokenIndex);
            Keep(slice.CombineWeight);
        }
        return plan;
    }

    /// <summary>Keeps the gathered index and inputs.</summary>
    public RoutedTokens Keep(RoutedTokens routed)
    {
        KeepOptional(routed.Index);
        foreach (var input in routed.Inputs) Keep(input);
        return routed;
    }

    /// <summary>Frees every kept tensor.</summary>
    public void Dispose()
    {
        foreach (var tensor in tensors) tensor.Dispose();
        tensors.Clear();
    }
}
