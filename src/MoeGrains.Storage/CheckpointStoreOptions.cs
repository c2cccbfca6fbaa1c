namespace MoeGrains.Storage;

/// <summary>
/// Where checkpoints and datasets live. Binds from a configuration section (e.g. <c>CheckpointStore</c>).
/// For <see cref="CheckpointStoreKind.AzureBlob"/> set exactly one of <see cref="ConnectionString"/>, <see cref="AccountUrl"/>
/// (with <see cref="ContainerName"/>) or <see cref="ContainerUri"/>; the URL forms authenticate with <c>DefaultAzureCredential</c>.
/// </summary>
public sealed class CheckpointStoreOptions
{
    /// <summary>The usual configuration section name.</summary>
    public const string SectionName = "CheckpointStore";

    /// <summary>Which backend. Default <see cref="CheckpointStoreKind.Local"/>.</summary>
    public CheckpointStoreKind Kind { get; set; } = CheckpointStoreKind.Local;

    /// <summary>Root folder of the local store. Default <c>~/.local/share/MoeGrains/store</c> (the platform's local application data).</summary>
    public string LocalRoot { get; set; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "MoeGrains", "store");

    /// <summary>Azure Storage connection string (account key or SAS; Azurite's well-known key locally).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Blob service URL, e.g. <c>https://account.blob.core.windows.net</c>; uses <c>DefaultAzureCredential</c>.</summary>
    public Uri? AccountUrl { get; set; }

    /// <summary>Full container URL; uses <c>DefaultAzureCredential</c> and ignores <see cref="ContainerName"/>.</summary>
    public Uri? ContainerUri { get; set; }

    /// <summary>Container name with <see cref="ConnectionString"/> or <see cref="AccountUrl"/>. Default "moegrains".</summary>
    public string ContainerName { get; set; } = "moegrains";

    /// <summary>How long a writer's claim on a version lasts without renewal (Azure lease, 15–60 s). Default 60 s.</summary>
    public TimeSpan WriterLeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of transient Azure failures.</summary>
    public CheckpointStoreRetryOptions Retry { get; set; } = new();

    /// <summary>Parallel block transfer settings for Azure.</summary>
    public CheckpointStoreTransferOptions Transfer { get; set; } = new();
}
