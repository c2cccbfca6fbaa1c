using System.Buffers;
using System.Threading.Channels;

namespace MoeGrains.Storage.Streams;

/// <summary>
/// Passes every byte written to the destination (which it does not own) and hashes a pooled copy of it on a worker task, so
/// SHA-256 runs beside the download instead of between its reads. Writers must write in order; <see cref="CompleteAsync"/>
/// waits for the hash of everything written.
/// </summary>
internal sealed class OverlappedHashingWriteStream : Stream
{
    /// <summary>Chunks waiting for the hasher (the SDK writes about 80 KB at a time): a few MB in flight at most.</summary>
    private const int MaxPendingChunks = 64;

    private readonly Stream destination;
    private readonly Channel<(byte[] Buffer, int Length)> pending =
        Channel.CreateBounded<(byte[], int)>(new BoundedChannelOptions(MaxPendingChunks) { SingleReader = true, SingleWriter = true });
    private readonly Task hasher;
    private readonly Sha256Digest digest = new();

    public OverlappedHashingWriteStream(Stream destination)
    {
        this.destination = destination;
        hasher = Task.Run(HashAsync);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get; set; }

    /// <summary>Waits until every byte written is hashed and returns the digest.</summary>
    public async Task<Sha256Digest> CompleteAsync()
    {
        pending.Writer.TryComplete();
        await hasher.ConfigureAwait(false);
        return digest;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var chunk = Copy(buffer);
        if (!pending.Writer.TryWrite(chunk)) pending.Writer.WriteAsync(chunk).AsTask().GetAwaiter().GetResult();
        destination.Write(buffer);
        Position += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var chunk = Copy(buffer.Span);
        if (!pending.Writer.TryWrite(chunk)) await pending.Writer.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
        await destination.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        Position += buffer.Length;
    }

    public override void Flush() => destination.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => destination.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        try
        {
            await hasher.ConfigureAwait(false);
        }
        finally
        {
            digest.Dispose();
        }
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            pending.Writer.TryComplete();
            hasher.GetAwaiter().GetResult();
            digest.Dispose();
        }
        base.Dispose(disposing);
    }

    private static (byte[] Buffer, int Length) Copy(ReadOnlySpan<byte> data)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(data.Length);
        data.CopyTo(buffer);
        return (buffer, data.Length);
    }

    private async Task HashAsync()
    {
        await foreach (var (buffer, length) in pending.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            digest.Append(buffer.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
