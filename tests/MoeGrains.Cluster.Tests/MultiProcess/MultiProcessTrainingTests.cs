using System.Diagnostics;
using Azure.Data.Tables;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Client;
using MoeGrains.Cluster.Tests.Equivalence;
using MoeGrains.Grains.Routers;
using MoeGrains.Storage;
using MoeGrains.Testing;
using Xunit.Abstractions;

namespace MoeGrains.Cluster.Tests.MultiProcess;

/// <summary>
/// Two real silo processes — a router/gateway silo without expert slots and an expert silo without a gateway — joined through
/// Azure Storage table membership on Azurite, grain state and checkpoints in Azurite blobs, and this process as a TCP client.
/// </summary>
public sealed class MultiProcessTrainingTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const int Seed = 11;
    private const int Steps = 20;
    private const int Batch = 4;
    private const double LearningRate = 1e-2;
    private readonly string clusterId = $"mp{Guid.NewGuid():N}"[..14];
    private readonly string corpus = Directory.CreateTempSubdirectory("moe-mp-corpus-").FullName;

    private string CheckpointContainer => $"ckpt-{clusterId}";

    public Task InitializeAsync()
    {
        TestCorpus.WriteShortValid(corpus);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(corpus, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Training_through_two_silo_processes_matches_the_in_process_model()
    {
        var clock = Stopwatch.StartNew();
        var shared = new Dictionary<string, string>
        {
            ["Orleans__ClusterId"] = clusterId,
            ["Orleans__ServiceId"] = clusterId,
            ["MoeGrains__Silo__Clustering"] = "AzureStorage",
            ["MoeGrains__Silo__ConnectionString"] = azurite.ConnectionString,
            ["MoeGrains__Storage__Provider"] = "AzureBlob",
            ["MoeGrains__Storage__ConnectionString"] = azurite.ConnectionString,
            ["MoeGrains__Storage__ContainerName"] = $"state-{clusterId}",
            ["MoeGrains__Checkpoints__Kind"] = "AzureBlob",
            ["MoeGrains__Checkpoints__ConnectionString"] = azurite.ConnectionString,
            ["MoeGrains__Checkpoints__ContainerName"] = CheckpointContainer,
        };
        await using var silos = await SiloProcessCluster.StartAsync(shared,
            new Dictionary<string, string> { ["MoeGrains__Accelerator__ExpertSlots"] = "0" },
            new Dictionary<string, string> { ["MoeGrains__Accelerator__ExpertSlots"] = "64", ["MoeGrains__Silo__GatewayPort"] = "0" });
        var started = clock.Elapsed;
        await using var connection = await AzureClusterClient.ConnectAsync(azurite.ConnectionString, clusterId, silos, TimeSpan.FromSeconds(60));
        var ready = clock.Elapsed;
        var client = new MoeClient(connection.Client);
        var (gateway, expertSilo) = (silos.Silos[0], silos.Silos[1]);
        try
        {
            await client.UploadDatasetAsync("sample", corpus);
            var spec = new ModelSpec("tiny", "switch", Seed: Seed);
            await client.CreateModelAsync("multi", spec);
            var handle = await client.TrainAsync("multi", new TrainingRequest("sample", Steps, Batch, LearningRate, Seed, CheckpointEvery: 5));
            var status = await handle.WaitAsync();
            var trained = clock.Elapsed;

            Assert.True(status.State == TrainingState.Completed, $"training ended {status.State}: {status.Error}");
            var experts = await client.ListExpertsAsync("multi");
            Assert.All(experts, e => Assert.StartsWith(expertSilo.AddressPrefix, e.Silo));

            var config = ModelSpecs.ToConfig(spec);
            // The silos run torch on one thread; a reference on more threads sums in another order, and Adam amplifies those
            // last-bit differences: with 2 threads the weights after 20 steps differed by 5e-4 (losses still within 1e-5).
            var (reference, expected) = InProcessReference.Train(config, corpus, Seed, Steps, Batch, LearningRate);
            using (reference)
            {
                LossComparison.AssertEqual(expected, status.Losses, "two silo processes");
                var store = CheckpointStoreFactory.Create(new CheckpointStoreOptions
                {
                    Kind = CheckpointStoreKind.AzureBlob,
                    ConnectionString = azurite.ConnectionString,
                    ContainerName = CheckpointContainer,
                });
                Assert.Equal(Steps, (await store.ReadManifestAsync("multi", (await store.LatestVersionAsync("multi"))!.Value)).Step);
                using var committed = await CommittedModel.ReadAsync(store, "multi", config);
                var (worst, where) = committed.WorstDifference(reference);
                Assert.True(worst <= 1e-5, $"final weights differ by up to {worst} (in {where})");
            }

            // Both silos registered themselves in the Azure Storage membership table (the clustering the client also used).
            var table = new TableServiceClient(azurite.ConnectionString).GetTableClient("OrleansSiloInstances");
            var rows = table.Query<TableEntity>(e => e.PartitionKey == clusterId).Select(e => e.RowKey).ToList();
            Assert.Contains(rows, r => r.StartsWith($"127.0.0.1-{gateway.SiloPort}-"));
            Assert.Contains(rows, r => r.StartsWith($"127.0.0.1-{expertSilo.SiloPort}-"));
            output.WriteLine($"silos listening after {started.TotalSeconds:F1} s, client ready after {ready.TotalSeconds:F1} s, " +
                $"{Steps} steps trained after {trained.TotalSeconds:F1} s, test done after {clock.Elapsed.TotalSeconds:F1} s");
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\n{silos.Output()}", e);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n{silos.Output()}");
        }
    }
}
