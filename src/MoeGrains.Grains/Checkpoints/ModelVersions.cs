using System.Text.Json;
using MoeGrains.Abstractions.Experts;
using MoeGrains.Grains.Experts;
using MoeGrains.Model;
using MoeGrains.Model.Distributed;
using MoeGrains.Model.Training;
using MoeGrains.Storage;

namespace MoeGrains.Grains.Checkpoints;

/// <summary>
/// Writes and reads whole model versions: the router writes its own blobs, every expert grain writes its own from
/// its silo, and the router commits the manifest last. Weights never travel in grain calls.
/// </summary>
internal sealed class ModelVersions(ICheckpointStore store, IGrainFactory grains, string model)
{
    /// <summary>The version a new model's initial weights are committed as (versions start at 1).</summary>
    public const int Initial = 1;

    /// <summary>Commits the initial version of a new model from a freshly initialised full model (written from the router).</summary>
    public async Task WriteInitialAsync(MoeLanguageModel full)
    {
        var config = full.Config;
        await using var writer = await store.BeginCheckpointAsync(model, Initial);
        using var partition = ModelPartition.Split(full);
        using (var router = new RouterShard(config, new TrainingOptions(Steps: 1)))
        {
            router.LoadState(partition.Router);
            await writer.PutAsync(CheckpointPaths.RouterWeights, router.SaveWeights());
            await writer.PutAsync(CheckpointPaths.RouterOptimizer, router.SaveOptimizerState(), isOptimizerState: true);
        }
        foreach (var (key, state) in partition.Experts)
        {
            using var expert = new ExpertShard(key, config, new TrainingOptions(Steps: 1));
            expert.LoadState(state);
            await writer.PutAsync(CheckpointPaths.ExpertWeights(key.Layer, key.Expert), expert.SaveWeights());
            await writer.PutAsync(CheckpointPaths.ExpertOptimizer(key.Layer, key.Expert), expert.SaveOptimizerState(), isOptimizerState: true);
        }
        await writer.CommitAsync(new CheckpointCommit(0, JsonDocument.Parse(config.ToJson()).RootElement));
    }

    /// <summary>Commits <paramref name="version"/> at <paramref name="step"/>: router blobs from here, expert blobs from the experts.</summary>
    public async Task WriteAsync(int version, long step, RouterShard router, IReadOnlyList<ExpertKey> experts)
    {
        await using var writer = await store.BeginCheckpointAsync(model, version);
        await writer.PutAsync(CheckpointPaths.RouterWeights, router.SaveWeights());
        await writer.PutAsync(CheckpointPaths.RouterOptimizer, router.SaveOptimizerState(), isOptimizerState: true);
        var saved = await Task.WhenAll(experts.Select(key => grains.GetGrain<IExpertGrain>(new ExpertId(model, key.Layer, key.Expert).Key).SaveAsync(version, step)));
        foreach (var blob in saved.SelectMany(blobs => blobs)) writer.Include(CheckpointBlobs.FromWire(blob));
        await writer.CommitAsync(new CheckpointCommit(step, JsonDocument.Parse(router.Config.ToJson()).RootElement) { ParentVersion = version - 1 >= Initial ? version - 1 : null });
    }

    /// <summary>Loads the router's weights and optimizer state of <paramref name="version"/> into a new router shard.</summary>
    public async Task<RouterShard> ReadRouterAsync(int version, TrainingOptions options)
    {
        var manifest = await store.ReadManifestAsync(model, version);
        var config = ModelConfig.FromJson(manifest.ModelConfig.GetRawText());
        var router = new RouterShard(config, options);
        try
        {
            router.LoadWeights(await store.ReadBlobAsync(model, version, CheckpointPaths.RouterWeights));
            router.LoadOptimizerState(await store.ReadBlobAsync(model, version, CheckpointPaths.RouterOptimizer));
            return router;
        }
        catch
        {
            router.Dispose();
            throw;
        }
    }
}
