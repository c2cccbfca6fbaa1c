namespace MoeGrains.Model.Distributed;

/// <summary>
/// Runs the experts of a distributed model for the router: in process (<see cref="LocalExpertExecutor"/>) or on remote
/// shards (grains). One training step is: <see cref="ForwardAsync"/> per MoE layer bottom-up, <see cref="BackwardAsync"/>
/// per MoE layer top-down (same experts, same row counts), then <see cref="GradNormsAsync"/> and
/// <see cref="ApplyStepAsync"/>. Only experts that received tokens are called; every expert takes the optimizer step.
/// </summary>
/// <remarks>
/// Tensors passed in stay the caller's (an executor must not keep or modify them); returned tensors belong to the
/// caller, in the order of the request. Implementations may run the experts of a call concurrently.
/// </remarks>
public interface IExpertExecutor
{
    /// <summary>Runs the listed experts of block <paramref name="layer"/> on their inputs [n, d].</summary>
    /// <param name="layer">The MoE block.</param>
    /// <param name="inputs">Per expert (distinct), its routed rows.</param>
    /// <param name="training">True keeps each expert's graph for the matching <see cref="BackwardAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outputs [n, d], in the order of <paramref name="inputs"/>.</returns>
    Task<IReadOnlyList<ExpertTensor>> ForwardAsync(int layer, IReadOnlyList<ExpertTensor> inputs, bool training,
        CancellationToken cancellationToken = default);

    /// <summary>Back-propagates output gradients [n, d] through the pending training pass of each listed expert.</summary>
    /// <returns>The gradients with respect to the inputs [n, d], in the order of <paramref name="gradOutputs"/>.</returns>
    Task<IReadOnlyList<ExpertTensor>> BackwardAsync(int layer, IReadOnlyList<ExpertTensor> gradOutputs,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Per expert, the float32 norm of each parameter's gradient (<see cref="ExpertShard.GradNorms"/>; NaN: no gradient).
    /// The router stacks them with its own in the full model's parameter order, so global clipping is bit-identical to
    /// the in-process trainer's (a float64 sum of squares would differ in the last bits, and Adam amplifies that).
    /// </summary>
    Task<IReadOnlyDictionary<ExpertKey, float[]>> GradNormsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every expert scales its gradients by <paramref name="clipScale"/>, takes its AdamW step at <paramref name="learningRate"/> and zeroes its gradients.</summary>
    Task ApplyStepAsync(double learningRate, double clipScale, CancellationToken cancellationToken = default);
}
