using MoeGrains.Abstractions.Tensors;

namespace MoeGrains.Abstractions.Experts;

/// <summary>
/// One expert FFN of one MoE layer, keyed <c>{model}/{layer}/{expert}</c> (<see cref="ExpertId"/>), living on an
/// expert silo and bound to one device for its life. Weights never travel in calls: the expert loads them from the
/// checkpoint store and writes them back there.
/// </summary>
[Alias("moe.IExpertGrain")]
public interface IExpertGrain : IGrainWithStringKey
{
    /// <summary>Loads the expert's weights and optimizer state from committed checkpoint <paramref name="version"/>.</summary>
    [Alias("Load")]
    Task<ExpertInfo> LoadAsync(int version);

    /// <summary>Runs the FFN on the tokens routed to this expert: [n, d] → [n, d].</summary>
    [Alias("Forward")]
    Task<TensorPayload> ForwardAsync(ExpertForwardRequest request);

    /// <summary>Back-propagates output gradients [n, d] of the pending forward; returns input gradients [n, d].</summary>
    [Alias("Backward")]
    Task<TensorPayload> BackwardAsync(ExpertBackwardRequest request);

    /// <summary>L2 norm of each parameter's accumulated gradient, in parameter order (for global clipping).</summary>
    [Alias("GradNorms")]
    Task<float[]> GradNormsAsync(long step);

    /// <summary>Scales the gradients, takes one optimizer step and clears them.</summary>
    [Alias("ApplyStep")]
    Task ApplyStepAsync(ExpertStepUpdate update);

    /// <summary>
    /// Writes weights and optimizer state under checkpoint <paramref name="version"/> (not yet committed) and returns the
    /// blobs written. Refuses unless the expert's weights are after <paramref name="step"/> steps, so an expert that was
    /// reactivated from an older checkpoint can never put stale weights into a new version.
    /// </summary>
    [Alias("Save")]
    Task<IReadOnlyList<SavedBlob>> SaveAsync(int version, long step);

    /// <summary>
    /// Moves the expert to <paramref name="target"/> (an expert silo): the activation deactivates when idle and the
    /// next call activates it there, reloading its weights from the latest committed checkpoint — weights never travel
    /// in the move, and anything not yet committed is recomputed by the router's rollback.
    /// </summary>
    [Alias("Move")]
    Task MoveAsync(SiloAddress target);

    /// <summary>Where the expert lives and what it has done.</summary>
    [Alias("GetInfo")]
    Task<ExpertInfo> GetInfoAsync();
}
