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
    private readonly List<SiloProcess> silos = [];
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
            var ports = FreePorts.Take(4);
            cluster.RouterSiloPort = ports[0];
            cluster.silos.Add(SiloProcess.Start("router-silo", cluster.Settings(ports[0], ports[1], expertSlots: 0, storeRoot), cluster.Root));
            cluster.silos.Add(SiloProcess.Start("expert-silo", cluster.Settings(ports[2], ports[3], expertSlots: 64, storeRoot), cluster.Root));
            cluster.RouterGateway = await cluster.ConnectAsync(ports[1]);
            cluster.ExpertGateway = await cluster.ConnectAsync(ports[3]);
            await cluster.WaitForSilosAsync(2);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private Dictionary<string, string> Settings(int siloPort, int gatewayPort, int expertSlots, string storeRoot) => new()
    {
        ["Orleans:ClusterId"] = ClusterId,
        ["Orleans:ServiceId"] = ClusterId,
        ["MoeGrains:Silo:Clustering"] = "AzureStorage",
        ["MoeGrains:Silo:ConnectionString"] = azurite.ConnectionString,
        ["MoeGrains:Silo:SiloPort"] = siloPort.ToString(),
        ["MoeGrains:Silo:GatewayPort"] = gatewayPort.ToString(),
        ["MoeGrains:Silo:AdvertisedIPAddress"] = "127.0.0.1",
        ["MoeGrains:Accelerator:Accelerator"] = "cpu",
        ["MoeGrains:Accelerator:Devices"] = "1",
        ["MoeGrains:Accelerator:ExpertSlots"] = expertSlots.ToString(),
        ["MoeGrains:Checkpoints:Kind"] = "Local",
        ["MoeGrains:Checkpoints:LocalRoot"] = storeRoot,
    };

    private async Task<IClusterClient> ConnectAsync(int gatewayPort)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            foreach (var silo in silos.Where(s => s.HasExited))
                throw new InvalidOperationException($"A silo process exited during start-up; its log ({silo.LogPath}) ends:\n{silo.Tail()}");
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders(); // connection retries while the silos start would fill the tables' output
            builder.UseOrleansClient(client =>
            {
                client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort));
                client.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (ClusterId, ClusterId));
            });
            var host = builder.Build();
            try
            {
                await host.StartAsync();
                clients.Add(host);
                return host.Services.GetRequiredService<IClusterClient>();
            }
            catch (Exception) when (clock.Elapsed < TimeSpan.FromSeconds(120))
            {
                host.Dispose();
                await Task.Delay(500);
            }
        }
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
        foreach (var silo in silos) silo.Dispose();
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
