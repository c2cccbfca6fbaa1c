namespace MoeGrains.Storage.Backends;

/// <summary>
/// Exclusive write access to one checkpoint version while a writer uploads. Released on dispose; lost automatically if the writer's
/// process dies (a lease expires, an OS file lock is dropped), so a crashed writer never blocks a version for good.
/// </summary>
internal interface IWriterClaim : IAsyncDisposable
{
    /// <summary>Confirms the claim is still held (renewing it where it can expire); false if it was lost.</summary>
    Task<bool> ConfirmAsync(CancellationToken cancellationToken);
}
