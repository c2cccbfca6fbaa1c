using MoeGrains.Abstractions.Experts;
using MoeGrains.Abstractions.Tensors;
using MoeGrains.Grains.Messaging;
using MoeGrains.Grains.Tensors;
using MoeGrains.Model.Distributed;
using static TorchSharp.torch;

namespace MoeGrains.Grains.Routers;

/// <summary>
/// Runs a model's experts through their grains: one concurrent call per expert that has tokens, tensors as bytes.
/// A failed or timed-out expert fails the call with an error naming the expert; nothing waits forever (the grain
/// call timeout bounds every call). Inference forwards only read, so one left unanswered is sent again (<see cref="RepeatableCalls"/>).
/// </summary>
internal sealed class GrainExpertExecutor(IGrainFactory grains, string model, IReadOnlyList<ExpertKey> experts, Device device, RepeatableCalls reads) : IExpertExecutor
{
    /// <summary>The training step being computed (1-based); experts check it against their own.</summary>
    public long Step { get; set; }

    private IExpertGrain Grain(int layer, int expert) => grains.GetGrain<IExpertGrain>(new ExpertId(model, layer, expert).Key);

    public async Task<IReadOnlyList<ExpertTensor>> ForwardAsync(int layer, IReadOnlyList<ExpertTensor> inputs, bool training, CancellationToken cancellationToken = default)
    {
        var step = training ? Step : 0;
        var calls = inputs.Select(input =>
        {
            var request = new ExpertForwardRequest(step, TensorCodec.ToPayload(input.Values), training);
            var grain = Grain(layer, input.Expert);
            return Call(layer, input.Expert, training
                ? () => grain.ForwardAsync(request)
                : () => reads.SendAsync(() => grain.ForwardAsync(request), $"Expert {new ExpertId(model, layer, input.Expert)}"));
        }).ToList();
        return await Collect(calls);
    }

    public async Task<IReadOnlyList<ExpertTensor>> BackwardAsync(int layer, IReadOnlyList<ExpertTensor> gradOutputs, CancellationToken cancellationToken = default)
    {
        var calls = gradOutputs.Select(grad => Call(layer, grad.Expert,
            () => Grain(layer, grad.Expert).BackwardAsync(new ExpertBackwardRequest(Step, TensorCodec.ToPayload(grad.Values))))).ToList();
        return await Collect(calls);
    }

    public async Task<IReadOnlyDictionary<ExpertKey, float[]>> GradNormsAsync(CancellationToken cancellationToken = default)
    {
        var calls = experts.Select(async key => (key, norms: await Named(key, () => Grain(key.Layer, key.Expert).GradNormsAsync(Step)))).ToList();
        var results = await Task.WhenAll(calls);
        return results.ToDictionary(r => r.key, r => r.norms);
    }

    public Task ApplyStepAsync(double learningRate, double clipScale, CancellationToken cancellationToken = default) =>
        Task.WhenAll(experts.Select(key => Named(key, async () =>
        {
            await Grain(key.Layer, key.Expert).ApplyStepAsync(new ExpertStepUpdate(Step, learningRate, clipScale));
            return true;
        })));

    private async Task<ExpertTensor> Call(int layer, int expert, Func<Task<TensorPayload>> call)
    {
        var payload = await Named(new ExpertKey(layer, expert), call);
        return new ExpertTensor(expert, TensorCodec.FromPayload(payload, device));
    }

    private async Task<T> Named<T>(ExpertKey key, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not ExpertCallException)
        {
            throw new ExpertCallException(new ExpertId(model, key.Layer, key.Expert), e);
        }
    }

    private static async Task<IReadOnlyList<ExpertTensor>> Collect(List<Task<ExpertTensor>> calls)
    {
        await Task.WhenAll(calls).ContinueWith(_ => { }, TaskScheduler.Current);
        var failed = calls.FirstOrDefault(c => c.IsFaulted);
        if (failed is not null)
        {
            foreach (var done in calls.Where(c => c.IsCompletedSuccessfully)) done.Result.Values.Dispose();
            throw failed.Exception!.InnerException!;
        }
        return [.. calls.Select(c => c.Result)];
    }
}
