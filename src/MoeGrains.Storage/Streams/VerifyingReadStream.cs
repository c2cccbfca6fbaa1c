namespace MoeGrains.Storage.Streams;

/// <summary>
/// Reads a committed blob and checks it against its manifest entry: more bytes than recorded fail at once, and reaching the end
/// compares size and SHA-256. A mismatch throws <see cref="CorruptCheckpointException"/> from the read that detects it.
/// </summary>
internal sealed class VerifyingReadStream(Stream inner, string model, long version, CheckpointBlob expected) : Stream
{
    private readonly Sha256Digest digest = new();
    private bool verified;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => expected.Size;
    public override long Position { get => digest.Length; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Check(buffer, inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Check(buffer.Span, read);
    }

    private int Check(ReadOnlySpan<byte> buffer, int read)
    {
        if (verified) return read == 0 ? 0 : throw Mismatch(null);
        digest.Append(buffer[..read]);
        if (digest.Length > expected.Size) throw Mismatch(null);
        if (read == 0 && buffer.Length > 0)
        {
            var hash = digest.HexHash();
            if (digest.Length != expected.Size || !string.Equals(hash, expected.Sha256, StringComparison.Ordinal)) throw Mismatch(hash);
            verified = true;
        }
        return read;
    }

    private CorruptCheckpointException Mismatch(string? actualHash) =>
        new(model, version, [new BlobMismatch(expected.Path, expected.Size, digest.Length, expected.Sha256, actualHash)]);

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            digest.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        digest.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
