using MoeGrains.Abstractions.Pipelines;

namespace MoeGrains.Grains.Pipelines;

/// <summary>The list of pipeline run ids, persisted in grain storage.</summary>
internal sealed class PipelineRunRegistryGrain(
    [PersistentState("pipeline-runs", "moe")] IPersistentState<List<string>> runs) : Grain, IPipelineRunRegistryGrain
{
    public async Task<bool> TryAddAsync(string runId)
    {
        if (runs.State.Contains(runId)) return false;
        runs.State.Add(runId);
        await runs.WriteStateAsync();
        return true;
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>([.. runs.State]);
}
