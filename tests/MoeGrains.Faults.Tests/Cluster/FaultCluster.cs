using System.Diagnostics;
using System.Text.Json;
using Azure.Storage.Blobs;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Client;
using MoeGrains.Storage;
using MoeGrains.Testing;
using Orleans.Configuration;

namespace MoeGrains.Faults.Tests.Cluster;

/// <summary>
/// The cluster the faults are injected into: a private Azurite; a router/gateway silo process without expert slots and two expert
/// silo processes without gateways, joined through Azure Storage table membership; grain state and checkpoints in Azurite blobs;
/// and this process as a TCP client. It holds dataset <see cref="Dataset"/> and a trained model <see cref="ServedModel"/>.
/// </summary>
public sealed class FaultCluster : IAsyncLifetime
{
    public const string Dataset = "faults";
    public const string ServedModel = "served";
    public const int ServedSteps = 6;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(120);
    private readonly string scratch = Directory.CreateTempSubdirectory("moe-faults-").FullName;
    private readonly HashSet<(string Model, long Version)> damaged = [];

    public AzuriteFixture Azurite { get; } = new();

    public string ClusterId { get; } = $"ft{Guid.NewGuid():N}"[..14];

    public SiloProcessCluster Silos { get; private set; } = null!;

    public AzureClusterClient Connection { get; private set; } = null!;

    public MoeClient Client => new(Connection.Client);

    public ICheckpointStore Store { get; private set; } = null!;

    public string CorpusFolder => Path.Combine(scratch, "corpus");

    /// <summary>A <c>--cluster</c> file for the moe CLI: the silo host's clustering keys with this cluster's id.</summary>
    public string ClientConfigFile => Path.Combine(scratch, "client.json");

    public string CheckpointContainer => $"ckpt-{ClusterId}";

    public string StateContainer => $"state-{ClusterId}";

    public string ReminderTable => $"reminders{ClusterId}";

    public SiloProcess Gateway => Silos.Silos[0];

    /// <summary>Expert silo <paramref name="index"/> (0 or 1); its index in <see cref="Silos"/> is <paramref name="index"/> + 1.</summary>
    public SiloProcess ExpertSilo(int index) => Silos.Silos[index + 1];

    public async Task InitializeAsync()
    {
        await Azurite.StartAsync();
        FaultCorpus.Write(CorpusFolder);
        var shared = new Dictionary<string, string>
        {
            ["Orleans__ClusterId"] = ClusterId,
            ["Orleans__ServiceId"] = ClusterId,
            ["MoeGrains__Silo__Clustering"] = "AzureStorage",
            ["MoeGrains__Silo__ConnectionString"] = Azurite.ConnectionString,
            ["MoeGrains__Storage__Provider"] = "AzureBlob",
            ["MoeGrains__Storage__ConnectionString"] = Azurite.ConnectionString,
            ["MoeGrains__Storage__ContainerName"] = StateContainer,
            ["MoeGrains__Checkpoints__Kind"] = "AzureBlob",
            ["MoeGrains__Checkpoints__ConnectionString"] = Azurite.ConnectionString,
            ["MoeGrains__Checkpoints__ContainerName"] = CheckpointContainer,
            // Pipeline runs outlive a whole-cluster restart through Azure-table reminders; the short period makes a restarted
            // cluster pick them up within seconds instead of Orleans' one-minute minimum.
            ["MoeGrains__Reminders__Provider"] = "AzureTable",
            ["MoeGrains__Reminders__ConnectionString"] = Azurite.ConnectionString,
            ["MoeGrains__Reminders__TableName"] = ReminderTable,
            ["MoeGrains__Reminders__MinimumPeriod"] = "00:00:05",
            ["MoeGrains__Pipelines__ReminderPeriod"] = "00:00:05",
            ["MoeGrains__Pipelines__PollInterval"] = "00:00:00.250",
            // Tiny models answer a read in milliseconds: a response dropped during a whole-cluster restart is re-sent sooner.
            ["MoeGrains__Timeouts__ReadCallTimeout"] = "00:00:20",
        };
        Silos = await SiloProcessCluster.StartAsync(shared,
            new Dictionary<string, string> { ["MoeGrains__Accelerator__ExpertSlots"] = "0" },
            new Dictionary<string, string> { ["MoeGrains__Accelerator__ExpertSlots"] = "64", ["MoeGrains__Silo__GatewayPort"] = "0" },
            new Dictionary<string, string> { ["MoeGrains__Accelerator__ExpertSlots"] = "64", ["MoeGrains__Silo__GatewayPort"] = "0" });
        Connection = await ConnectAsync();
        Store = CheckpointStoreFactory.Create(new CheckpointStoreOptions
        {
            Kind = CheckpointStoreKind.AzureBlob,
            ConnectionString = Azurite.ConnectionString,
            ContainerName = CheckpointContainer,
        });
        File.WriteAllText(ClientConfigFile, JsonSerializer.Serialize(new
        {
            Orleans = new { ClusterId, ServiceId = ClusterId },
            MoeGrains = new { Silo = new { Clustering = "AzureStorage", ConnectionString = Azurite.ConnectionString } },
        }));

        try
        {
            await Client.UploadDatasetAsync(Dataset, CorpusFolder);
            await Client.CreateModelAsync(ServedModel, new ModelSpec("tiny", "switch", Seed: 5));
            var status = await (await Client.TrainAsync(ServedModel, new TrainingRequest(Dataset, ServedSteps, 4, 1e-2, 5, CheckpointEvery: 3))).WaitAsync();
            if (status.State != TrainingState.Completed) throw new InvalidOperationException($"The served model's training ended {status.State}: {status.Error}");
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{e.Message}\n{Silos.Output()}", e);
        }
    }

    /// <summary>
    /// A new client of the cluster. It refreshes its gateway list every second (Orleans' default is a minute), so it finds a
    /// restarted gateway silo quickly; everything else is Orleans' default.
    /// </summary>
    public Task<AzureClusterClient> ConnectAsync() =>
        AzureClusterClient.ConnectAsync(Azurite.ConnectionString, ClusterId, Silos, ConnectTimeout,
            client => client.Configure<GatewayOptions>(gateways => gateways.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1)));

    /// <summary>Starts again every silo that is not running, then waits until the served model answers.</summary>
    public async Task RestoreAsync()
    {
        if (!Azurite.IsRunning) await Azurite.StartAsync();
        for (var i = 0; i < Silos.Silos.Count; i++)
            if (Silos.Silos[i].HasExited) await Silos.RestartAsync(i);
        await WaitForMembershipAsync(TimeSpan.FromSeconds(120));
        await WaitUntilServingAsync(TimeSpan.FromSeconds(120));
    }

    /// <summary>
    /// Waits until membership lists exactly the running silo processes as active: a killed silo's old generation stays
    /// "active" until the others vote it dead, and a grain placed on it meanwhile (e.g. a new model's router) fails.
    /// </summary>
    private async Task WaitForMembershipAsync(TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        var management = Connection.Client.GetGrain<IManagementGrain>(0);
        int active = -1;
        while (clock.Elapsed < bound)
        {
            try
            {
                active = (await management.GetHosts(onlyActive: true)).Count;
                if (active == Silos.Silos.Count) return;
            }
            catch (Exception) when (clock.Elapsed < bound)
            {
                // the gateway may itself be restarting
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"Membership still lists {active} active silos for {Silos.Silos.Count} running processes after {bound.TotalSeconds} s\n{Silos.Output()}");
    }

    /// <summary>Scores a short text on the served model until it succeeds; returns how long that took.</summary>
    /// <exception cref="TimeoutException">No success within <paramref name="bound"/> (with the silos' output).</exception>
    public async Task<TimeSpan> WaitUntilServingAsync(TimeSpan bound, MoeClient? client = null)
    {
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        while (clock.Elapsed < bound)
        {
            try
            {
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await (client ?? Client).ScoreAsync(ServedModel, ["The cluster is back."]).WaitAsync(attempt.Token);
                return clock.Elapsed;
            }
            catch (Exception e)
            {
                last = e;
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"The served model did not answer within {bound.TotalSeconds} s: {last?.Message}\n{Silos.Output()}", last);
    }

    /// <summary>Marks a version that a test damaged on purpose, so <see cref="VerifyCommittedAsync"/> leaves it out.</summary>
    public void MarkDamaged(string model, long version) => damaged.Add((model, version));

    /// <summary>
    /// Verifies every committed version of every model (each blob's size and SHA-256 against its manifest) and returns how many
    /// versions verified; throws <see cref="CorruptCheckpointException"/> (or a storage error) for the first that does not.
    /// </summary>
    public async Task<int> VerifyCommittedAsync()
    {
        var verified = 0;
        foreach (var model in await Client.ListModelsAsync())
        {
            foreach (var version in await Store.ListVersionsAsync(model))
            {
                if (damaged.Contains((model, version))) continue;
                await Store.VerifyAsync(model, version);
                verified++;
            }
        }
        return verified;
    }

    /// <summary>What is stored now (see <see cref="StoredState"/>).</summary>
    public async Task<StoredState> StoredStateAsync()
    {
        var models = (await Client.ListModelsAsync()).Order(StringComparer.Ordinal).ToList();
        var blobs = new List<string>();
        var service = new BlobServiceClient(Azurite.ConnectionString);
        foreach (var container in new[] { CheckpointContainer, StateContainer })
            await foreach (var blob in service.GetBlobContainerClient(container).GetBlobsAsync())
                blobs.Add($"{container}/{blob.Name} {blob.Properties.ETag}");
        blobs.Sort(StringComparer.Ordinal);
        var info = await Client.GetModelAsync(ServedModel);
        var training = await Connection.Client.GetGrain<IRouterGrain>(ServedModel).GetTrainingStatusAsync();
        return new StoredState(models, blobs, $"v{info.Version} step {info.Step}, training {training.State} at {training.Step}/{training.TotalSteps}");
    }

    public async Task DisposeAsync()
    {
        if (Connection is not null) await Connection.DisposeAsync();
        if (Silos is not null) await Silos.DisposeAsync();
        await Azurite.DisposeAsync();
        Directory.Delete(scratch, recursive: true);
    }
}
