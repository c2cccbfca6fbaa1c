using System.Security.Cryptography;
using System.Text.Json;
using MoeGrains.Storage.Layout;

namespace MoeGrains.Storage.Tests;

/// <summary>Checkpoint contents for tests: random bytes per blob and a small model config.</summary>
public static class Payloads
{
    public static readonly JsonElement Config = JsonSerializer.SerializeToElement(new { dModel = 64, layers = 2, experts = 4, gate = "switch" });

    public static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A router file and two experts' weights and optimizer state.</summary>
    public static Dictionary<string, (byte[] Bytes, bool Optimizer)> Checkpoint(int seed) => new()
    {
        [CheckpointLayout.Router("weights.bin")] = (Random(3000, seed), false),
        [CheckpointLayout.Expert(0, 0, "weights.bin")] = (Random(5000, seed + 1), false),
        [CheckpointLayout.Expert(0, 0, "optimizer.bin")] = (Random(7000, seed + 2), true),
        [CheckpointLayout.Expert(1, 3, "weights.bin")] = (Random(0, seed + 3), false),
    };

    /// <summary>Writes and commits <see cref="Checkpoint"/> as one version.</summary>
    public static async Task<CheckpointManifest> CommitAsync(ICheckpointStore store, string model, long version, int seed, long? parent = null)
    {
        await using var writer = await store.BeginCheckpointAsync(model, version);
        foreach (var (path, (bytes, optimizer)) in Checkpoint(seed)) await writer.PutAsync(path, bytes, optimizer);
        return await writer.CommitAsync(new CheckpointCommit(version * 100, Config) { ParentVersion = parent });
    }
}
