using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace MoeGrains.Storage.Backends;

/// <summary>
/// A writer's claim on an Azure version: a lease on a small claim blob, renewed in the background at a third of its duration.
/// If the writer dies the lease expires and the next writer may claim the version.
/// </summary>
internal sealed class AzureWriterClaim : IWriterClaim
{
    private readonly BlobClient claimBlob;
    private readonly BlobLeaseClient lease;
    private readonly CancellationTokenSource stop = new();
    private readonly Task renewal;
    private volatile bool lost;
    private int disposed;

    private AzureWriterClaim(BlobClient claimBlob, BlobLeaseClient lease, TimeSpan duration)
    {
        this.claimBlob = claimBlob;
        this.lease = lease;
        renewal = RenewLoopAsync(duration / 3);
    }

    /// <summary>Creates the claim blob if needed and leases it; null if another writer holds the lease.</summary>
    public static async Task<IWriterClaim?> TryAcquireAsync(BlobClient claimBlob, TimeSpan duration, CancellationToken cancellationToken)
    {
        // A finishing writer deletes its claim blob; if that happens between our create and acquire, create again.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var create = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
                await claimBlob.UploadAsync(BinaryData.Empty, create, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Exists already (possibly leased by a live writer); the lease decides.
            }

            var lease = claimBlob.GetBlobLeaseClient();
            try
            {
                await lease.AcquireAsync(duration, cancellationToken: cancellationToken).ConfigureAwait(false);
                return new AzureWriterClaim(claimBlob, lease, duration);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                return null;
            }
            catch (RequestFailedException e) when (e.Status == 404 && attempt < 3)
            {
            }
        }
    }

    public async Task<bool> ConfirmAsync(CancellationToken cancellationToken)
    {
        if (lost) return false;
        try
        {
            await lease.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            lost = true;
            return false;
        }
    }

    private async Task RenewLoopAsync(TimeSpan period)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                try
                {
                    await lease.RenewAsync(cancellationToken: stop.Token).ConfigureAwait(false);
                }
                catch (RequestFailedException e) when (e.Status is 409 or 412)
                {
                    lost = true;
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Transient: the next tick tries again; ConfirmAsync decides at commit.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        await stop.CancelAsync().ConfigureAwait(false);
        await renewal.ConfigureAwait(false);
        stop.Dispose();
        try
        {
            // Deleting with the lease id both releases it and removes the claim blob; nobody else can delete a leased blob.
            await claimBlob.DeleteAsync(conditions: new BlobRequestConditions { LeaseId = lease.LeaseId }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or OperationCanceledException)
        {
            // Lost or unreachable: the lease expires on its own.
        }
    }
}
