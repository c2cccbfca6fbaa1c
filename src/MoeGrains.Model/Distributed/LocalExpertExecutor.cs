using MoeGrains.Model.Training;
using static TorchSharp.torch;

namespace MoeGrains.Model.Distributed;

/// <summary>
/// The in-process <see cref="IExpertExecutor"/>: one <see cref="ExpertShard"/> per expert, run one after another on the
/// calling thread (the tasks it returns are already complete). The reference implementation, and what an embedded
/// single-process run uses.
/// </summary>
public sealed class LocalExpertExecutor : IExpertExecutor, IDisposable
{
    private readonly Dictionary<ExpertKey, ExpertShard> shards = [];

    /// <summary>Creates a shard for every expert of <paramref name="config"/> (fresh weights; see <see cref="Load"/>).</summary>
    public LocalExpertExecutor(ModelConfig config, TrainingOptions options, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        foreach (var key in ExpertKey.All(config)) shards[key] = new ExpertShard(key, config, options, device);
    }

    /// <summary>Creates the executor and loads every expert's weights from <paramref name="partition"/>.</summary>
    public static LocalExpertExecutor FromPartition(ModelPartition partition, ModelConfig config, TrainingOptions options, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(partition);
        var executor = new LocalExpertExecutor(config, options, device);
        try
        {
            executor.Load(partition);
            return executor;
        }
        catch
        {
            executor.Dispose();
            throw;
        }
    }

    /// <summary>The shards, by expert.</summary>
    public IReadOnlyDictionary<ExpertKey, ExpertShard> Shards => shards;

    /// <summary>Copies every expert's weights from <paramref name="partition"/>.</summary>
    /// <exception cref="ArgumentException">The partition lacks an expert or has one this model does not.</exception>
    public void Load(ModelPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        var states = partition.Experts;
        foreach (var key in states.Keys)
        {
            if (!shards.ContainsKey(key)) throw new ArgumentException($"The partition has expert ({key}), which this model does not have.", nameof(partition));
        }
        foreach (var (key, shard) in shards)
        {
            if (!states.TryGetValue(key, out var state)) throw new ArgumentException($"The partition has no weights for expert ({key}).", nameof(partition));
            shard.LoadState(state);
        }
    }

    /// <summary>Every expert's state dict (copies), for <see cref="ModelPartition.Join(IReadOnlyDictionary{string, Tensor}, IReadOnlyDictionary{ExpertKey, IReadOnlyDictionary{string, Tensor}})"/>.</summary>
    public Dictionary<ExpertKey, IReadOnlyDictionary<string, Tensor>> StateDicts() =>
        shards.ToDictionary(pair => pair.Key, pair => (IReadOnlyDictionary<string, Tensor>)pair.Value.StateDict());

    /// <inheritdoc />
    public Task<IReadOnlyList<ExpertTensor>> ForwardAsync(int layer, IReadOnlyList<ExpertTensor> inputs, bool training,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<ExpertTensor> outputs = [.. inputs.Select(input => new ExpertTensor(input.Expert, Shard(layer, input.Expert).Forward(input.Values, training)))];
        return Task.FromResult(outputs);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ExpertTensor>> BackwardAsync(int layer, IReadOnlyList<ExpertTensor> gradOutputs,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gradOutputs);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<ExpertTensor> grads = [.. gradOutputs.Select(grad => new ExpertTensor(grad.Expert, Shard(layer, grad.Expert).Backward(grad.Values)))];
        return Task.FromResult(grads);
    }


    /// <inheritdoc />
    public Task<IReadOnlyDictionary<ExpertKey, float[]>> GradNormsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<ExpertKey, float[]>>(shards.ToDictionary(pair => pair.Key, pair => pair.Value.GradNorms()));

    /// <inheritdoc />
    public Task ApplyStepAsync(double learningRate, double clipScale, CancellationToken cancellationToken = default)
    {
        foreach (var shard in shards.Values) shard.ApplyStep(learningRate, clipScale);
        return Task.CompletedTask;
    }

    /// <summary>Frees every shard.</summary>
    public void Dispose()
    {
        foreach (var shard in shards.Values) shard.Dispose();
        shards.Clear();
    }

    private ExpertShard Shard(int layer, int expert) =>
        shards.TryGetValue(new ExpertKey(layer, expert), out var shard)
            ? shard
            : throw new ArgumentException($"There is no expert ({new ExpertKey(layer, expert)}) in this model.");
}
