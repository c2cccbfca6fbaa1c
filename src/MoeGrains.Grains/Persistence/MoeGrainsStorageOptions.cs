namespace MoeGrains.Grains.Persistence;

/// <summary>The grain storage provider named <see cref="ProviderName"/>. Bound from <c>MoeGrains:Storage</c>.</summary>
public sealed class MoeGrainsStorageOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "MoeGrains:Storage";

    /// <summary>The name grains use in <c>[PersistentState("…", "moe")]</c>.</summary>
    public const string ProviderName = "moe";

    /// <summary><c>Memory</c> (default), <c>Files</c> or <c>AzureBlob</c>.</summary>
    public GrainStorageKind Provider { get; set; } = GrainStorageKind.Memory;

    /// <summary>For <c>Files</c>: the folder state files go under (default <c>grain-state</c>, relative to the working folder).</summary>
    public string Folder { get; set; } = "grain-state";

    /// <summary>For <c>AzureBlob</c>: the storage connection string (<c>UseDevelopmentStorage=true</c> for Azurite).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// For <c>AzureBlob</c>, instead of <see cref="ConnectionString"/>: the blob service URL
    /// (<c>https://account.blob.core.windows.net</c>), authenticated with <c>DefaultAzureCredential</c>.
    /// </summary>
    public Uri? AccountUrl { get; set; }

    /// <summary>For <c>AzureBlob</c>: the blob container (default <c>moe-grain-state</c>).</summary>
    public string ContainerName { get; set; } = "moe-grain-state";
}
