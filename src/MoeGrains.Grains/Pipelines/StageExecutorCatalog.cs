namespace MoeGrains.Grains.Pipelines;

/// <summary>The registered stage executors, by stage name.</summary>
internal sealed class StageExecutorCatalog(IEnumerable<IStageExecutor> executors)
{
    private readonly Dictionary<string, IStageExecutor> byKind = executors.ToDictionary(executor => executor.Kind, StringComparer.Ordinal);

    /// <exception cref="ArgumentException">No executor runs stages of that kind.</exception>
    public IStageExecutor Get(string kind) =>
        byKind.TryGetValue(kind, out var executor) ? executor
            : throw new ArgumentException($"This cluster cannot run '{kind}' stages (it runs: {string.Join(", ", byKind.Keys.Order(StringComparer.Ordinal))}).");
}
