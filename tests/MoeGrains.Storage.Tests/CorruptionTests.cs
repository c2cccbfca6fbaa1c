using MoeGrains.Testing;

namespace MoeGrains.Storage.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class CorruptionTests(AzuriteFixture azurite)
{
    private const string Path = "experts/0-0/weights.bin";

    [Theory]
    [InlineData(StoreKind.Local, 0)]
    [InlineData(StoreKind.Azure, 0)]
    [InlineData(StoreKind.Local, 1)]
    [InlineData(StoreKind.Azure, 1)]
    public async Task A_blob_changed_after_commit_is_refused_by_name(StoreKind kind, int sizeChange)
    {
        await using var test = TestStore.Create(kind, azurite);
        var manifest = await Payloads.CommitAsync(test.Store, "m", 1, seed: 1);
        var original = Payloads.Checkpoint(1)[Path].Bytes;
        var damaged = original.Concat(new byte[sizeChange]).ToArray();
        damaged[17] ^= 0x01;
        await test.OverwriteRawAsync($"models/m/v1/{Path}", damaged);
        var expectedHash = manifest.FindBlob(Path)!.Sha256;

        var read = await Assert.ThrowsAsync<CorruptCheckpointException>(() => test.Store.ReadBlobAsync("m", 1, Path));
        Assert.Contains(Path, read.Message, StringComparison.Ordinal);
        Assert.Contains(expectedHash, read.Message, StringComparison.Ordinal);
        Assert.Contains(Payloads.Sha256(damaged), read.Message, StringComparison.Ordinal);
        var mismatch = Assert.Single(read.Mismatches);
        Assert.Equal((Path, original.Length, (long?)damaged.Length), (mismatch.Path, mismatch.ExpectedSize, mismatch.ActualSize));

        await Assert.ThrowsAsync<CorruptCheckpointException>(() => test.Store.ReadBlobAsync("m", 1, Path, new MemoryStream()));
        var verify = await Assert.ThrowsAsync<CorruptCheckpointException>(() => test.Store.VerifyAsync("m", 1));
        Assert.Equal(Path, Assert.Single(verify.Mismatches).Path);

        await using var stream = await test.Store.OpenBlobAsync("m", 1, Path);
        var streamed = await Assert.ThrowsAsync<CorruptCheckpointException>(() => stream.CopyToAsync(Stream.Null));
        Assert.Contains(Path, streamed.Message, StringComparison.Ordinal);

        // Other blobs of the version still read.
        Assert.Equal(Payloads.Checkpoint(1)["router/weights.bin"].Bytes, await test.Store.ReadBlobAsync("m", 1, "router/weights.bin"));
    }

    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.Azure)]
    public async Task A_missing_blob_is_refused_by_name(StoreKind kind)
    {
        await using var test = TestStore.Create(kind, azurite);
        await Payloads.CommitAsync(test.Store, "m", 1, seed: 1);
        await test.DeleteRawAsync($"models/m/v1/{Path}");
        await test.DeleteRawAsync("models/m/v1/experts/0-0/optimizer.bin");

        var read = await Assert.ThrowsAsync<CorruptCheckpointException>(() => test.Store.ReadBlobAsync("m", 1, Path));
        Assert.Contains($"'{Path}' is missing", read.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CorruptCheckpointException>(() => test.Store.OpenBlobAsync("m", 1, Path));

        var verify = await Assert.ThrowsAsync<CorruptCheckpointException>(() => test.Store.VerifyAsync("m", 1));
        Assert.Equal(["experts/0-0/optimizer.bin", Path], verify.Mismatches.Select(m => m.Path));
        Assert.All(verify.Mismatches, m => Assert.Null(m.ActualSize));
    }

    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.Azure)]
    public async Task An_unreadable_manifest_is_corrupt_not_absent(StoreKind kind)
    {
        await using var test = TestStore.Create(kind, azurite);
        await test.OverwriteRawAsync("models/m/v4/manifest.json", "{ not json"u8.ToArray());
        var error = await Assert.ThrowsAsync<CorruptCheckpointException>(() => test.Store.ReadManifestAsync("m", 4));
        Assert.Contains("manifest.json", error.Message, StringComparison.Ordinal);
    }
}
