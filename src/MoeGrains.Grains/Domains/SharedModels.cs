using MoeGrains.Grains.Experts;
using MoeGrains.Model;
using MoeGrains.Model.Distributed;
using MoeGrains.Model.Training;
using MoeGrains.Storage;
using static TorchSharp.torch;

namespace MoeGrains.Grains.Domains;

/// <summary>Reads a committed version of a model trained through the router (router blobs + expert blobs) back into one full model.</summary>
internal static class SharedModels
{
    public static async Task<MoeLanguageModel> ReadAsync(ICheckpointStore store, string model, int version, CancellationToken cancellationToken = default)
    {
        var manifest = await store.ReadManifestAsync(model, version, cancellationToken);
        var config = ModelConfig.FromJson(manifest.ModelConfig.GetRawText());
        var copies = new List<Tensor>();
        try
        {
            Dictionary<string, Tensor> routerState;
            using (var router = new RouterShard(config, new TrainingOptions(Steps: 1)))
            {
                router.LoadWeights(await store.ReadBlobAsync(model, version, CheckpointPaths.RouterWeights, cancellationToken));
                routerState = router.StateDict();
                copies.AddRange(routerState.Values);
            }
            var experts = new Dictionary<ExpertKey, IReadOnlyDictionary<string, Tensor>>();
            foreach (var key in ExpertKey.All(config))
            {
                using var shard = new ExpertShard(key, config, new TrainingOptions(Steps: 1));
                shard.LoadWeights(await store.ReadBlobAsync(model, version, CheckpointPaths.ExpertWeights(key.Layer, key.Expert), cancellationToken));
                var state = shard.StateDict();
                copies.AddRange(state.Values);
                experts[key] = state;
            }
            using var partition = ModelPartition.Split(ModelPartition.Join(routerState, experts));
            var full = new MoeLanguageModel(config);
            partition.LoadInto(full);
            return full;
        }
        finally
        {
            foreach (var tensor in copies) tensor.Dispose();
        }
    }
}
