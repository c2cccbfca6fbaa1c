using Microsoft.Extensions.Logging;

namespace MoeGrains.Storage;

/// <summary>The store's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Committed checkpoint {Model} v{Version}: {BlobCount} blobs, {Bytes} bytes ({Backend})")]
    public static partial void Committed(ILogger logger, string model, long version, int blobCount, long bytes, string backend);

    [LoggerMessage(2, LogLevel.Warning, "Checkpoint {Model} v{Version} conflict: {Reason}")]
    public static partial void Conflict(ILogger logger, string model, long version, string reason);

    [LoggerMessage(3, LogLevel.Information, "Aborted checkpoint {Model} v{Version}; deleted {Deleted} of {Uploaded} uploaded blobs")]
    public static partial void Aborted(ILogger logger, string model, long version, int deleted, int uploaded);

    [LoggerMessage(4, LogLevel.Warning, "Could not delete uncommitted blob {Path} while aborting")]
    public static partial void AbortDeleteFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(5, LogLevel.Error, "{Message}")]
    public static partial void Corrupt(ILogger logger, string message);
}
