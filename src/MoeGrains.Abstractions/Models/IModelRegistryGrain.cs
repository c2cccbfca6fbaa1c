namespace MoeGrains.Abstractions.Models;

/// <summary>The cluster's list of models (a single grain, key <see cref="Key"/>).</summary>
[Alias("moe.IModelRegistryGrain")]
public interface IModelRegistryGrain : IGrainWithStringKey
{
    /// <summary>The registry's grain key.</summary>
    const string Key = "registry";

    /// <summary>Reserves a model name; false when it is taken.</summary>
    [Alias("TryRegister")]
    Task<bool> TryRegisterAsync(string model);

    /// <summary>Every registered model name.</summary>
    [Alias("List")]
    Task<IReadOnlyList<string>> ListAsync();
}
