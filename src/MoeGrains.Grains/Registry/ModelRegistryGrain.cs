using MoeGrains.Abstractions.Models;

namespace MoeGrains.Grains.Registry;

/// <summary>The cluster's model names, persisted so a name is never handed out twice.</summary>
public sealed class ModelRegistryGrain([PersistentState("registry", "moe")] IPersistentState<ModelRegistryState> state) : Grain, IModelRegistryGrain
{
    /// <inheritdoc/>
    public async Task<bool> TryRegisterAsync(string model)
    {
        if (!state.State.Models.Add(model)) return false;
        await state.WriteStateAsync();
        return true;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Models.Order(StringComparer.Ordinal)]);
}
