using MoeGrains.Storage.Layout;
using MoeGrains.Testing;

namespace MoeGrains.Storage.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class RoundTripTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.Azure)]
    public async Task Committed_blobs_read_back_byte_for_byte_three_ways(StoreKind kind)
    {
        await using var test = TestStore.Create(kind, azurite);
        await Payloads.CommitAsync(test.Store, "tiny-moe", 1, seed: 10);

        foreach (var (path, (bytes, _)) in Payloads.Checkpoint(10))
        {
            Assert.Equal(bytes, await test.Store.ReadBlobAsync("tiny-moe", 1, path));

            using var copy = new MemoryStream();
            await test.Store.ReadBlobAsync("tiny-moe", 1, path, copy);
            Assert.Equal(bytes, copy.ToArray());

            await using var stream = await test.Store.OpenBlobAsync("tiny-moe", 1, path);
            using var streamed = new MemoryStream();
            await stream.CopyToAsync(streamed);
            Assert.Equal(bytes, streamed.ToArray());
        }
        await test.Store.VerifyAsync("tiny-moe", 1);
    }

    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.Azure)]
    public async Task Manifest_lists_every_blob_with_size_hash_and_optimizer_flag(StoreKind kind)
    {
        await using var test = TestStore.Create(kind, azurite);
        await Payloads.CommitAsync(test.Store, "tiny-moe", 1, seed: 20);
        var before = DateTimeOffset.UtcNow;
        await using (var writer = await test.Store.BeginCheckpointAsync("tiny-moe", 2))
        {
            foreach (var (path, (bytes, optimizer)) in Payloads.Checkpoint(30)) await writer.PutAsync(path, bytes, optimizer);
            await writer.CommitAsync(new CheckpointCommit(1234, Payloads.Config)
            {
                ParentVersion = 1,
                Metadata = new Dictionary<string, string> { ["domainPrior"] = "[0.5,0.5]" },
            });
        }

        // A fresh store reads the committed manifest from storage, not from the writer's cache.
        var manifest = await Reopen(kind, test).ReadManifestAsync("tiny-moe", 2);
        var expected = Payloads.Checkpoint(30);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), manifest.Blobs.Select(b => b.Path));
        foreach (var blob in manifest.Blobs)
        {
            Assert.Equal(expected[blob.Path].Bytes.Length, blob.Size);
            Assert.Equal(Payloads.Sha256(expected[blob.Path].Bytes), blob.Sha256);
            Assert.Equal(expected[blob.Path].Optimizer, blob.IsOptimizerState);
        }
        Assert.Equal(("tiny-moe", 2L, 1234L, 1L, CheckpointManifest.CurrentFormat), (manifest.Model, manifest.Version, manifest.Step, manifest.ParentVersion!.Value, manifest.Format));
        Assert.Equal(64, manifest.ModelConfig.GetProperty("dModel").GetInt32());
        Assert.Equal("[0.5,0.5]", manifest.Metadata["domainPrior"]);
        Assert.InRange(manifest.CreatedAt, before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));

        var json = System.Text.Encoding.UTF8.GetString(await test.ReadRawAsync("models/tiny-moe/v2/manifest.json"));
        Assert.Contains("\"isOptimizerState\": true", json, StringComparison.Ordinal);
        Assert.Contains("\"modelConfig\"", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.Azure)]
    public async Task A_multi_block_blob_streams_in_and_out(StoreKind kind)
    {
        // 1 MiB blocks (TestStore), so 9.5 MiB takes ten blocks uploaded and ten ranges downloaded in parallel.
        await using var test = TestStore.Create(kind, azurite);
        var bytes = Payloads.Random((19 << 20) / 2, seed: 5);
        await using (var writer = await test.Store.BeginCheckpointAsync("big", 1))
        {
            var blob = await writer.PutAsync(CheckpointLayout.Expert(3, 1, "weights.bin"), new NonSeekableStream(bytes));
            Assert.Equal((bytes.Length, Payloads.Sha256(bytes)), (blob.Size, blob.Sha256));
            await writer.CommitAsync(new CheckpointCommit(1, Payloads.Config));
        }
        Assert.Equal(bytes, await test.Store.ReadBlobAsync("big", 1, "experts/3-1/weights.bin"));
        Assert.Equal(bytes, await test.ReadRawAsync("models/big/v1/experts/3-1/weights.bin"));
    }

    private static CheckpointStore Reopen(StoreKind kind, TestStore test) => kind == StoreKind.Local
        ? new LocalFolderCheckpointStore(((LocalFolderCheckpointStore)test.Store).Root)
        : new AzureBlobCheckpointStore(((AzureBlobCheckpointStore)test.Store).Container);
}
