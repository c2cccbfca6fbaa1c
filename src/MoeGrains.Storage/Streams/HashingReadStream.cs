namespace MoeGrains.Storage.Streams;

/// <summary>
/// Wraps an upload source so that its size and SHA-256 are computed while the SDK reads it, in one pass. Seekability is passed
/// through (the Azure SDK uploads a seekable source without copying it into buffers); bytes are hashed only when read at the
/// hash frontier, so a re-read after a retry's seek back is not hashed twice. If a reader ever skips ahead, the hash is completed
/// by a second pass over the source (<see cref="FinishAsync"/>). Non-seekable sources are read exactly once, in order.
/// </summary>
internal sealed class HashingReadStream(Stream inner) : Stream
{
    private readonly long start = inner.CanSeek ? inner.Position : 0;
    private long frontier;
    private bool skipped;

    public Sha256Digest Digest { get; private set; } = new();

    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length - start;

    public override long Position
    {
        get => inner.CanSeek ? inner.Position - start : frontier;
        set => inner.Position = value + start;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var at = Position;
        var read = inner.Read(buffer);
        Hash(at, buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var at = Position;
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Hash(at, buffer.Span[..read]);
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin) =>
        inner.Seek(origin == SeekOrigin.Begin ? offset + start : offset, origin) - start;

    /// <summary>Completes the hash after the upload: reads whatever the uploader skipped (seekable sources only).</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        if (!inner.CanSeek || (!skipped && frontier == Length)) return;
        if (skipped)
        {
            Digest.Dispose();
            Digest = new Sha256Digest();
            frontier = 0;
        }
        inner.Position = start + frontier;
        var buffer = new byte[1 << 20];
        int read;
        while ((read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0) Digest.Append(buffer.AsSpan(0, read));
    }

    private void Hash(long at, ReadOnlySpan<byte> data)
    {
        if (at > frontier)
        {
            skipped = true;
            return;
        }
        var fresh = at + data.Length - frontier;
        if (fresh <= 0) return;
        Digest.Append(data[(int)(frontier - at)..]);
        frontier += fresh;
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) Digest.Dispose();
        base.Dispose(disposing);
    }
}
