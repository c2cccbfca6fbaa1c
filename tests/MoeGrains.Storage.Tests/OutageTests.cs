using System.Diagnostics;
using MoeGrains.Storage.Layout;
using MoeGrains.Testing;

namespace MoeGrains.Storage.Tests;

/// <summary>Has its own Azurite, because it stops it.</summary>
public sealed class OutageTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task An_outage_fails_fast_naming_the_operation_and_committed_data_survives_it()
    {
        var container = $"t{Guid.NewGuid():N}";
        CheckpointStore Open() => AzureBlobCheckpointStore.Create(new CheckpointStoreOptions
        {
            Kind = CheckpointStoreKind.AzureBlob,
            ConnectionString = azurite.ConnectionString,
            ContainerName = container,
            Retry = { MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(200), NetworkTimeout = TimeSpan.FromSeconds(3) },
        });
        await Payloads.CommitAsync(Open(), "m", 1, seed: 1);

        await azurite.StopAsync();
        try
        {
            var store = Open();
            var clock = Stopwatch.StartNew();
            var read = await Assert.ThrowsAsync<StorageOperationException>(() => store.ReadBlobAsync("m", 1, "router/weights.bin"));
            Assert.Equal("manifest read", read.Operation);
            Assert.Contains("manifest read of 'models/m/v1/manifest.json'", read.Message, StringComparison.Ordinal);

            var begin = await Assert.ThrowsAsync<StorageOperationException>(() => store.BeginCheckpointAsync("m", 2));
            Assert.Contains("claim of 'models/m/v2/.writer'", begin.Message, StringComparison.Ordinal);

            var latest = await Assert.ThrowsAsync<StorageOperationException>(() => store.LatestVersionAsync("m"));
            Assert.Contains("version listing of 'models/m/'", latest.Message, StringComparison.Ordinal);
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(15));
        }
        finally
        {
            await azurite.StartAsync();
        }

        var recovered = Open();
        Assert.Equal(1, await recovered.LatestVersionAsync("m"));
        await recovered.VerifyAsync("m", 1);
        Assert.Equal(Payloads.Checkpoint(1)["router/weights.bin"].Bytes, await recovered.ReadBlobAsync("m", 1, "router/weights.bin"));
        await Payloads.CommitAsync(recovered, "m", 2, seed: 2, parent: 1);
        Assert.Equal([1L, 2L], await recovered.ListVersionsAsync("m"));
    }

    [Fact]
    public async Task A_writer_whose_upload_hits_an_outage_names_the_blob()
    {
        var store = AzureBlobCheckpointStore.Create(new CheckpointStoreOptions
        {
            Kind = CheckpointStoreKind.AzureBlob,
            ConnectionString = azurite.ConnectionString,
            ContainerName = $"t{Guid.NewGuid():N}",
            Retry = { MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(200), NetworkTimeout = TimeSpan.FromSeconds(3) },
        });
        var writer = await store.BeginCheckpointAsync("w", 1);
        await writer.PutAsync(CheckpointLayout.Router("weights.bin"), Payloads.Random(100, 1));
        await azurite.StopAsync();
        try
        {
            var put = await Assert.ThrowsAsync<StorageOperationException>(() => writer.PutAsync(CheckpointLayout.Expert(0, 0, "weights.bin"), Payloads.Random(100, 2)));
            Assert.Contains("upload of 'models/w/v1/experts/0-0/weights.bin'", put.Message, StringComparison.Ordinal);
        }
        finally
        {
            await azurite.StartAsync();
        }
        await writer.CommitAsync(new CheckpointCommit(1, Payloads.Config));
        await store.VerifyAsync("w", 1);
    }
}
