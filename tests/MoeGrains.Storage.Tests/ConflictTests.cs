using MoeGrains.Storage.Layout;
using MoeGrains.Testing;

namespace MoeGrains.Storage.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class ConflictTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.Azure)]
    public async Task Two_racing_writers_one_wins_and_the_winner_stays_intact(StoreKind kind)
    {
        await using var test = TestStore.Create(kind, azurite);
        // Two store instances, as two processes would have.
        var other = TestStoreTwin(kind, test);
        using var start = new Barrier(2);

        async Task<CheckpointManifest> Write(ICheckpointStore store, int seed)
        {
            await Task.Yield();
            start.SignalAndWait();
            return await Payloads.CommitAsync(store, "race", 7, seed);
        }

        var attempts = new[] { Task.Run(() => Write(test.Store, 100)), Task.Run(() => Write(other, 200)) };
        try
        {
            await Task.WhenAll(attempts);
        }
        catch (CheckpointConflictException)
        {
        }

        var winners = attempts.Where(a => a.IsCompletedSuccessfully).ToList();
        var losers = attempts.Where(a => a.IsFaulted).ToList();
        var winner = Assert.Single(winners);
        var conflict = Assert.IsType<CheckpointConflictException>(Assert.Single(losers).Exception!.InnerException);
        Assert.Equal(("race", 7L), (conflict.Model, conflict.Version));
        Assert.Contains("'race' v7", conflict.Message, StringComparison.Ordinal);

        var winnerSeed = winner == attempts[0] ? 100 : 200;
        var fresh = TestStoreTwin(kind, test);
        var manifest = await fresh.ReadManifestAsync("race", 7);
        Assert.Equal((await winner).Blobs, manifest.Blobs);
        foreach (var (path, (bytes, _)) in Payloads.Checkpoint(winnerSeed)) Assert.Equal(bytes, await fresh.ReadBlobAsync("race", 7, path));
        await fresh.VerifyAsync("race", 7);
    }

    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.Azure)]
    public async Task A_late_writer_of_a_committed_version_is_refused_before_it_uploads(StoreKind kind)
    {
        await using var test = TestStore.Create(kind, azurite);
        var committed = await Payloads.CommitAsync(test.Store, "m", 3, seed: 1);
        var manifestBytes = await test.ReadRawAsync("models/m/v3/manifest.json");

        var conflict = await Assert.ThrowsAsync<CheckpointConflictException>(() => TestStoreTwin(kind, test).BeginCheckpointAsync("m", 3));
        Assert.Contains("already committed", conflict.Message, StringComparison.Ordinal);

        Assert.Equal(manifestBytes, await test.ReadRawAsync("models/m/v3/manifest.json"));
        Assert.Equal(committed.Blobs, (await TestStoreTwin(kind, test).ReadManifestAsync("m", 3)).Blobs);
        await TestStoreTwin(kind, test).VerifyAsync("m", 3);
    }

    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.Azure)]
    public async Task Commit_never_replaces_a_manifest_that_appeared_meanwhile(StoreKind kind)
    {
        // Simulates a writer whose claim expired and whose rival committed: the manifest's create-only write is the last guard.
        await using var test = TestStore.Create(kind, azurite);
        await using var writer = await test.Store.BeginCheckpointAsync("m", 5);
        await writer.PutAsync(CheckpointLayout.Router("weights.bin"), Payloads.Random(1000, 1));
        var rival = "{\"model\":\"m\",\"version\":5,\"step\":1,\"modelConfig\":{},\"blobs\":[],\"createdAt\":\"2025-01-01T00:00:00Z\"}"u8.ToArray();
        await test.OverwriteRawAsync("models/m/v5/manifest.json", rival);

        var conflict = await Assert.ThrowsAsync<CheckpointConflictException>(() => writer.CommitAsync(new CheckpointCommit(9, Payloads.Config)));
        Assert.Contains("another writer committed", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(rival, await test.ReadRawAsync("models/m/v5/manifest.json"));
        // The loser does not delete blobs that may now be the winner's.
        await writer.AbortAsync();
        Assert.True(await test.ExistsRawAsync("models/m/v5/router/weights.bin"));
    }

    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.Azure)]
    public async Task Abort_deletes_uploaded_blobs_and_frees_the_version(StoreKind kind)
    {
        await using var test = TestStore.Create(kind, azurite);
        var writer = await test.Store.BeginCheckpointAsync("m", 1);
        await writer.PutAsync(CheckpointLayout.Expert(0, 1, "weights.bin"), Payloads.Random(1000, 1));
        Assert.True(await test.ExistsRawAsync("models/m/v1/experts/0-1/weights.bin"));
        await Assert.ThrowsAsync<CheckpointConflictException>(() => TestStoreTwin(kind, test).BeginCheckpointAsync("m", 1));

        await writer.AbortAsync();
        Assert.False(await test.ExistsRawAsync("models/m/v1/experts/0-1/weights.bin"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.PutAsync(CheckpointLayout.Router("w.bin"), Payloads.Random(1, 1)));

        await Payloads.CommitAsync(TestStoreTwin(kind, test), "m", 1, seed: 2);
        Assert.Equal(1, await test.Store.LatestVersionAsync("m"));
    }

    private static CheckpointStore TestStoreTwin(StoreKind kind, TestStore test) => kind == StoreKind.Local
        ? new LocalFolderCheckpointStore(((LocalFolderCheckpointStore)test.Store).Root)
        : new AzureBlobCheckpointStore(((AzureBlobCheckpointStore)test.Store).Container, new CheckpointStoreOptions { WriterLeaseDuration = TimeSpan.FromSeconds(15) });
}
