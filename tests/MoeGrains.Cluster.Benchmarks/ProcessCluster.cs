using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MoeGrains.Testing;
using Orleans.Configuration;

namespace MoeGrains.Cluster.Benchmarks;

/// <summary>
/// A router silo process (no expert slots, the clients' gateway) and an expert silo process on loopback TCP, joined
/// through Azure table clustering on a private Azurite, sharing a local-folder checkpoint store.
/// </summary>
internal sealed class ProcessCluster : IAsyncDisposable
{
    private const string ClusterId = "moebench";
    private readonly AzuriteFixture azurite = new();
    private SiloProcessCluster? processes;
    private readonly List<IHost> clients = [];

    private ProcessCluster(string root) => Root = root;

    public string Root { get; }

    public int RouterSiloPort { get; private set; }

    /// <summary>A client whose only gateway is the router silo.</summary>
    public IClusterClient RouterGateway { get; private set; } = null!;

    /// <summary>A client whose only gateway is the expert silo.</summary>
    public IClusterClient ExpertGateway { get; private set; } = null!;

    public static async Task<ProcessCluster> StartAsync(string storeRoot)
    {
        var cluster = new ProcessCluster(Directory.CreateTempSubdirectory("moe-procs-").FullName);
        try
        {
            await cluster.azurite.StartAsync();
            cluster.processes = await SiloProcessCluster.StartAsync(cluster.Settings(storeRoot), ExpertSlots(0), ExpertSlots(64));
            var (router, expert) = (cluster.processes.Silos[0], cluster.processes.Silos[1]);
            cluster.RouterSiloPort = router.SiloPort;
            cluster.RouterGateway = await cluster.ConnectAsync(router.GatewayPort);
            cluster.ExpertGateway = await cluster.ConnectAsync(expert.GatewayPort);
            await cluster.WaitForSilosAsync(2);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Environment shared by both silo processes (the launcher adds ports and the advertised address).</summary>
    private Dictionary<string, string> Settings(string storeRoot) =>
        SiloEnvironment.Common(ClusterId, storeRoot).WithTableClustering(azurite.ConnectionString);

    /// <summary>A silo's expert slots and the benchmark's torch thread budget (replacing the launcher's one thread).</summary>
    private static Dictionary<string, string> ExpertSlots(int slots) => new()
    {
        ["MoeGrains__Accelerator__ExpertSlots"] = slots.ToString(),
        ["MOE_TORCH_THREADS"] = BenchSettings.TorchThreads.ToString(),
    };

    private async Task<IClusterClient> ConnectAsync(int gatewayPort)
    {
        var host = await LoopbackClient.ConnectAsync(gatewayPort, ClusterId, TimeSpan.FromMinutes(5), () =>
        {
            if (processes!.Silos.Any(s => s.HasExited))
                throw new InvalidOperationException($"A silo process exited during start-up:\n{processes.Output()}");
        });
        clients.Add(host);
        return host.Services.GetRequiredService<IClusterClient>();
    }

    private async Task WaitForSilosAsync(int count)
    {
        var management = RouterGateway.GetGrain<IManagementGrain>(0);
        var clock = Stopwatch.StartNew();
        while ((await management.GetHosts(onlyActive: true)).Count < count)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"The silos did not form a {count}-silo cluster within 60 s.");
            await Task.Delay(200);
        }
        await Task.Delay(TimeSpan.FromSeconds(2)); // silo metadata (expert slots) reaches the other silo asynchronously
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in clients)
        {
            try
            {
                await client.StopAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception)
            {
                // the silos go next anyway
            }
            client.Dispose();
        }
        if (processes is not null) await processes.DisposeAsync();
        await azurite.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
