using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MoeGrains.Abstractions.Experts;
using MoeGrains.Abstractions.Inference;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Grains.Checkpoints;
using MoeGrains.Grains.Datasets;
using MoeGrains.Grains.Hosting;
using MoeGrains.Grains.Messaging;
using MoeGrains.Model;
using MoeGrains.Model.Data;
using MoeGrains.Model.Distributed;
using MoeGrains.Model.Evaluation;
using MoeGrains.Model.Inference;
using MoeGrains.Model.Training;
using MoeGrains.Storage;
using static TorchSharp.torch;

namespace MoeGrains.Grains.Routers;

/// <summary>
/// The router of one model: a thin adapter over <see cref="RouterShard"/> that dispatches MoE layers to expert
/// grains, drives training as a sequence of short timer turns (never one long grain call), checkpoints to the store
/// and rolls back to the last committed version when an expert loses its state.
/// </summary>
public sealed partial class RouterGrain(
    ICheckpointStore store,
    [PersistentState("router", "moe")] IPersistentState<RouterState> state,
    IOptions<MoeGrainsTimeoutOptions> timeouts,
    ILogger<RouterGrain> logger) : Grain, IRouterGrain
{
    private const int MaxConsecutiveFailures = 5;
    private static readonly TimeSpan MaxStorageOutage = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MaxStorageBackoff = TimeSpan.FromSeconds(5);
    private ModelConfig? config;
    private RouterShard? shard;
    private GrainExpertExecutor? executor;
    private ModelVersions versions = null!;
    private ActiveRun? run;

    private string Name => this.GetPrimaryKeyString();

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        versions = new ModelVersions(store, GrainFactory, Name);
        if (state.State.ConfigJson is { } json) config = ModelConfig.FromJson(json);
        if (state.State.RunState == TrainingState.Running && state.State.Run is { } request)
        {
            logger.LogWarning("Router {Model} reactivated during a training run: resuming from checkpoint v{Version}", Name, state.State.Version);
            await BeginRunAsync(request, resume: true);
        }
    }

    /// <inheritdoc/>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        run?.Timer?.Dispose();
        shard?.Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task<ModelInfo> CreateAsync(ModelSpec spec)
    {
        if (state.State.ConfigJson is not null) throw new ArgumentException($"A model named '{Name}' already exists.");
        var created = ModelSpecs.ToConfig(spec);
        if (!await GrainFactory.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key).TryRegisterAsync(Name))
            throw new ArgumentException($"A model named '{Name}' already exists.");

        manual_seed(spec.Seed);
        using (var full = new MoeLanguageModel(created))
            await versions.WriteInitialAsync(full);
        config = created;
        state.State.ConfigJson = created.ToJson();
        state.State.Version = ModelVersions.Initial;
        state.State.Step = 0;
        await state.WriteStateAsync();
        await Task.WhenAll(ExpertKeys().Select(key => Expert(key).LoadAsync(ModelVersions.Initial)));
        logger.LogInformation("Created model {Model}: {Gate} gate, {Experts} experts in each of {Layers} MoE layers", Name, created.Gate, created.Experts,
            ExpertKeys().Select(k => k.Layer).Distinct().Count());
        return Info();
    }

    /// <inheritdoc/>
    public Task<ModelInfo> GetInfoAsync()
    {
        RequireModel();
        return Task.FromResult(Info());
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ExpertInfo>> ListExpertsAsync()
    {
        RequireModel();
        return await Task.WhenAll(ExpertKeys().Select(key => Expert(key).GetInfoAsync()));
    }

    private ModelConfig RequireModel() =>
        config ?? throw new ArgumentException($"Unknown model '{Name}': create it first.");

    private IReadOnlyList<ExpertKey> ExpertKeys() => ExpertKey.All(RequireModel());

    private IExpertGrain Expert(ExpertKey key) => GrainFactory.GetGrain<IExpertGrain>(new ExpertId(Name, key.Layer, key.Expert).Key);

    private ModelInfo Info()
    {
        var current = RequireModel();
        var layers = Enumerable.Range(0, current.Layers).Where(current.IsMoeLayer).ToList();
        return new ModelInfo(Name, current.ToJson(), state.State.Version, state.State.Step, layers, current.Gate == GateKind.Dense ? 0 : current.Experts);
    }

    private async Task<RouterShard> RouterAsync()
    {
        if (shard is not null) return shard;
        shard = await versions.ReadRouterAsync(state.State.Version, run?.Options ?? new TrainingOptions(Steps: 1));
        return shard;
    }

    private GrainExpertExecutor Executor() =>
        executor ??= new GrainExpertExecutor(GrainFactory, Name, ExpertKeys(), CPU, new RepeatableCalls(timeouts.Value, logger));
}
