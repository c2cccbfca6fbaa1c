namespace MoeGrains.Abstractions.Pipelines;

/// <summary>The cluster's list of pipeline runs (a single grain, key <see cref="Key"/>).</summary>
[Alias("moe.IPipelineRunRegistryGrain")]
public interface IPipelineRunRegistryGrain : IGrainWithStringKey
{
    /// <summary>The registry's grain key.</summary>
    const string Key = "pipeline-runs";

    /// <summary>Records a new run id; false when it is taken.</summary>
    [Alias("TryAdd")]
    Task<bool> TryAddAsync(string runId);

    /// <summary>Every run id, oldest first.</summary>
    [Alias("List")]
    Task<IReadOnlyList<string>> ListAsync();
}
