using MoeGrains.Storage.Layout;

namespace MoeGrains.Storage.Benchmarks;

/// <summary>Random bytes shaped like a checkpoint: a router blob (1/16 of the total) and eight expert blobs sharing the rest.</summary>
internal sealed class CheckpointPayload
{
    public CheckpointPayload(int totalMiB)
    {
        var total = (long)totalMiB << 20;
        var router = (int)(total / 16);
        var expert = (int)((total - router) / 8);
        var random = new Random(totalMiB);
        Blobs = [(CheckpointLayout.Router("weights.bin"), Bytes(router)), .. Enumerable.Range(0, 8).Select(e => (CheckpointLayout.Expert(0, e, "weights.bin"), Bytes(expert)))];
        byte[] Bytes(int length)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            return bytes;
        }
    }

    public IReadOnlyList<(string Path, byte[] Bytes)> Blobs { get; }

    public double MegaBytes => Blobs.Sum(b => (double)b.Bytes.Length) / 1e6;
}
