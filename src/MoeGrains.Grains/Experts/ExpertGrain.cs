using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Experts;
using MoeGrains.Abstractions.Tensors;
using MoeGrains.Grains.Checkpoints;
using MoeGrains.Grains.Placement;
using MoeGrains.Grains.Tensors;
using MoeGrains.Model;
using MoeGrains.Model.Distributed;
using MoeGrains.Model.Training;
using MoeGrains.Storage;
using Orleans.Concurrency;
using Orleans.Placement;
using Orleans.Runtime.Placement;
using static TorchSharp.torch;

namespace MoeGrains.Grains.Experts;

/// <summary>
/// An expert FFN on an expert silo: a thin adapter over <see cref="ExpertShard"/>. It binds to one device for its
/// life, loads its weights from the checkpoint store (the latest committed version when it activates) and writes
/// them back there; it keeps nothing in grain state, so any activation on any silo resumes from the store.
/// </summary>
[ExpertSlotsFilter, LeastLoadedDevicePlacement, Immovable]
public sealed class ExpertGrain(ICheckpointStore store, DeviceAllocator devices, ILocalSiloDetails silo, ILogger<ExpertGrain> logger)
    : Grain, IExpertGrain
{
    private ExpertId id = null!;
    private DeviceAssignment device = null!;
    private ExpertShard? shard;
    private int version = -1;
    private long step;
    private long tokensProcessed;

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        id = ExpertId.Parse(this.GetPrimaryKeyString());
        device = await devices.AcquireAsync(this.GetGrainId());
        long? latest;
        try
        {
            latest = await store.LatestVersionAsync(id.Model, cancellationToken);
        }
        catch (CheckpointStoreException e)
        {
            throw Refused(e, "find its latest checkpoint");
        }
        if (latest is { } committed) await LoadVersionAsync((int)committed, cancellationToken);
        logger.LogInformation("Expert {Expert} activated on {Silo} ({Device}), version {Version}", id, silo.SiloAddress, device.Device, version);
    }

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        shard?.Dispose();
        shard = null;
        await devices.ReleaseAsync(this.GetGrainId());
    }

    /// <inheritdoc/>
    public async Task<ExpertInfo> LoadAsync(int version)
    {
        await LoadVersionAsync(version, CancellationToken.None);
        return Info();
    }

    private ExpertCheckpointException Refused(CheckpointStoreException e, string what)
    {
        logger.LogError(e, "Expert {Expert} could not {What}", id, what);
        return new ExpertCheckpointException($"Expert {id} could not {what}: {e.Message}", e is StorageOperationException);
    }

    /// <inheritdoc/>
    public Task<TensorPayload> ForwardAsync(ExpertForwardRequest request)
    {
        var loaded = Loaded();
        if (request.Training && request.Step != step + 1)
            throw new ExpertStateLostException(
                $"Expert {id} holds weights after step {step} (checkpoint v{version}) but step {request.Step} was requested: it was reactivated from an earlier checkpoint.");
        using var scope = NewDisposeScope();
        var inputs = TensorCodec.FromPayload(request.Inputs, Device(), TensorDType.Float32, loaded.ModelDim, $"input of expert {id}");
        tokensProcessed += inputs.shape[0];
        var outputs = loaded.Forward(inputs, request.Training);
        return Task.FromResult(TensorCodec.ToPayload(outputs));
    }

    /// <inheritdoc/>
    public Task<TensorPayload> BackwardAsync(ExpertBackwardRequest request)
    {
        var loaded = Loaded();
        if (request.Step != step + 1 || loaded.PendingCount == 0)
            throw new ExpertStateLostException($"Expert {id} has no pending forward pass for step {request.Step} (it is at step {step}).");
        using var scope = NewDisposeScope();
        var grads = TensorCodec.FromPayload(request.GradOutputs, Device(), TensorDType.Float32, loaded.ModelDim, $"output gradient of expert {id}");
        return Task.FromResult(TensorCodec.ToPayload(loaded.Backward(grads)));
    }

    /// <inheritdoc/>
    public Task<float[]> GradNormsAsync(long step)
    {
        var loaded = Loaded();
        if (step != this.step + 1)
            throw new ExpertStateLostException($"Expert {id} is at step {this.step}; gradient norms for step {step} were requested.");
        return Task.FromResult(loaded.GradNorms());
    }

    /// <inheritdoc/>
    public Task ApplyStepAsync(ExpertStepUpdate update)
    {
        var loaded = Loaded();
        if (update.Step != step + 1)
            throw new ExpertStateLostException($"Expert {id} is at step {step}; the optimizer step {update.Step} was requested.");
        loaded.ApplyStep(update.LearningRate, update.ClipScale);
        step = update.Step;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SavedBlob>> SaveAsync(int version, long step)
    {
        var loaded = Loaded();
        if (step != this.step)
            throw new ExpertStateLostException($"Expert {id} holds weights after step {this.step}, not {step}: it cannot write checkpoint v{version}.");
        try
        {
            var weights = await store.PutBlobAsync(id.Model, version, CheckpointPaths.ExpertWeights(id.Layer, id.Expert), loaded.SaveWeights());
            var optimizer = await store.PutBlobAsync(id.Model, version, CheckpointPaths.ExpertOptimizer(id.Layer, id.Expert), loaded.SaveOptimizerState(), isOptimizerState: true);
            return [CheckpointBlobs.ToWire(weights), CheckpointBlobs.ToWire(optimizer)];
        }
        catch (CheckpointStoreException e)
        {
            throw Refused(e, $"write checkpoint v{version}");
        }
    }

    /// <inheritdoc/>
    public Task MoveAsync(SiloAddress target)
    {
        logger.LogInformation("Expert {Expert} moves from {Silo} to {Target}", id, silo.SiloAddress, target);
        RequestContext.Set(IPlacementDirector.PlacementHintKey, target);
        this.MigrateOnIdle();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<ExpertInfo> GetInfoAsync() => Task.FromResult(Info());

    private async Task LoadVersionAsync(int version, CancellationToken cancellationToken)
    {
        try
        {
            await ReadVersionAsync(version, cancellationToken);
        }
        catch (CheckpointStoreException e)
        {
            throw Refused(e, $"load checkpoint v{version}");
        }
    }

    private async Task ReadVersionAsync(int version, CancellationToken cancellationToken)
    {
        var manifest = await store.ReadManifestAsync(id.Model, version, cancellationToken);
        var config = ModelConfig.FromJson(manifest.ModelConfig.GetRawText());
        var key = new ExpertKey(id.Layer, id.Expert);
        if (!ExpertKey.All(config).Contains(key))
            throw new ArgumentException($"Model '{id.Model}' has no expert ({key}): it has {config.Experts} experts in layers {string.Join(", ", ExpertKey.All(config).Select(k => k.Layer).Distinct())}.");
        var weights = await store.ReadBlobAsync(id.Model, version, CheckpointPaths.ExpertWeights(id.Layer, id.Expert), cancellationToken);
        var optimizer = await store.ReadBlobAsync(id.Model, version, CheckpointPaths.ExpertOptimizer(id.Layer, id.Expert), cancellationToken);
        var next = new ExpertShard(key, config, new TrainingOptions(Steps: 1), Device());
        try
        {
            next.LoadWeights(weights);
            next.LoadOptimizerState(optimizer);
        }
        catch
        {
            next.Dispose();
            throw;
        }
        shard?.Dispose();
        shard = next;
        this.version = version;
        step = manifest.Step;
    }

    private ExpertShard Loaded() => shard ?? throw new InvalidOperationException(
        $"Expert {id} has no weights: model '{id.Model}' has no committed checkpoint yet (create the model first).");

    private Device Device() => DeviceSelector.Parse(device.Device);

    private ExpertInfo Info() => new(id, silo.SiloAddress.ToString(), device.Device, version, step, tokensProcessed, device.Index);
}
