namespace MoeGrains.Storage.Backends;

/// <summary>
/// A writer's claim on a local version: an exclusively opened lock file (an OS file lock on Unix), dropped by the OS if the
/// process dies. The lock file is left in place on release, so two writers can never lock two different files of one name.
/// </summary>
internal sealed class LocalWriterClaim : IWriterClaim
{
    private readonly FileStream lockFile;

    private LocalWriterClaim(FileStream lockFile) => this.lockFile = lockFile;

    /// <summary>Opens the lock file exclusively; null if another writer has it open.</summary>
    public static IWriterClaim? TryAcquire(string lockPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        try
        {
            return new LocalWriterClaim(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException) when (File.Exists(lockPath))
        {
            return null;
        }
    }

    public Task<bool> ConfirmAsync(CancellationToken cancellationToken) => Task.FromResult(!lockFile.SafeFileHandle.IsClosed);

    public ValueTask DisposeAsync() => lockFile.DisposeAsync();
}
