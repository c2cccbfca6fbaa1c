using MoeGrains.Storage.Layout;
using MoeGrains.Testing;

namespace MoeGrains.Storage.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class VersionTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.Azure)]
    public async Task Latest_and_list_see_only_versions_with_a_manifest(StoreKind kind)
    {
        await using var test = TestStore.Create(kind, azurite);
        Assert.Null(await test.Store.LatestVersionAsync("m"));
        Assert.Empty(await test.Store.ListVersionsAsync("m"));

        await Payloads.CommitAsync(test.Store, "m", 1, seed: 1);
        await Payloads.CommitAsync(test.Store, "m", 2, seed: 2, parent: 1);
        await Payloads.CommitAsync(test.Store, "m", 10, seed: 3, parent: 2);
        // A crashed writer's leftovers at v11 (blobs, no manifest) and a writer still uploading v12.
        await test.OverwriteRawAsync("models/m/v11/router/weights.bin", Payloads.Random(100, 4));
        await using var open = await test.Store.BeginCheckpointAsync("m", 12);
        await open.PutAsync(CheckpointLayout.Router("weights.bin"), Payloads.Random(100, 5));
        // Another model's versions do not leak in.
        await Payloads.CommitAsync(test.Store, "m2", 40, seed: 6);

        Assert.Equal(10, await test.Store.LatestVersionAsync("m"));
        Assert.Equal([1L, 2L, 10L], await test.Store.ListVersionsAsync("m"));
        await Assert.ThrowsAsync<CheckpointNotFoundException>(() => test.Store.ReadManifestAsync("m", 11));
        var missing = await Assert.ThrowsAsync<CheckpointNotFoundException>(() => test.Store.ReadBlobAsync("m", 12, "router/weights.bin"));
        Assert.Contains("'m' v12", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.Azure)]
    public async Task A_path_the_manifest_does_not_list_is_not_found(StoreKind kind)
    {
        await using var test = TestStore.Create(kind, azurite);
        await Payloads.CommitAsync(test.Store, "m", 1, seed: 1);
        var error = await Assert.ThrowsAsync<CheckpointNotFoundException>(() => test.Store.ReadBlobAsync("m", 1, "experts/9-9/weights.bin"));
        Assert.Contains("experts/9-9/weights.bin", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.Azure)]
    public async Task Concurrent_readers_share_a_manifest_and_a_version_not_yet_committed_is_not_remembered_as_missing(StoreKind kind)
    {
        await using var test = TestStore.Create(kind, azurite);
        var misses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Record.ExceptionAsync(() => test.Store.ReadManifestAsync("m", 1))));
        Assert.All(misses, e => Assert.IsType<CheckpointNotFoundException>(e));

        // Another process commits it; this store, which has just seen it missing, finds it.
        var committed = await Payloads.CommitAsync(test.Another(), "m", 1, seed: 1);
        var reads = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => test.Store.ReadManifestAsync("m", 1)));
        Assert.All(reads, manifest => Assert.Same(reads[0], manifest));
        Assert.Equal(committed.Blobs.Select(b => (b.Path, b.Sha256)), reads[0].Blobs.Select(b => (b.Path, b.Sha256)));
        var blobs = await Task.WhenAll(committed.Blobs.Select(b => test.Store.ReadBlobAsync("m", 1, b.Path)));
        Assert.Equal(committed.Blobs.Select(b => b.Sha256), blobs.Select(Payloads.Sha256));
    }
}
