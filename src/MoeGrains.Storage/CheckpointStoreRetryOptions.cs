namespace MoeGrains.Storage;

/// <summary>How the Azure SDK retries transient failures (exponential back-off). Bounded: after the last retry the store throws <see cref="StorageOperationException"/>.</summary>
public sealed class CheckpointStoreRetryOptions
{
    /// <summary>Retries after the first attempt. Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First back-off delay. Default 0.8 s.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(0.8);

    /// <summary>Longest back-off delay. Default 30 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one network operation (one request or one block). Default 100 s.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(100);
}
