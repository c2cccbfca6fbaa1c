using System.Diagnostics;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MoeGrains.Abstractions.Experts;
using Orleans.Configuration;

namespace MoeGrains.Testing;

/// <summary>
/// The test process as a real TCP client of silo processes: finds the gateways in the Azure Storage membership table
/// (Azurite) and connects. Disposing stops the client.
/// </summary>
public sealed class AzureClusterClient : IAsyncDisposable
{
    private readonly IHost host;

    private AzureClusterClient(IHost host) => this.host = host;

    /// <summary>The connected Orleans client.</summary>
    public IClusterClient Client => host.Services.GetRequiredService<IClusterClient>();

    /// <summary>
    /// Connects (retrying while no gateway is in the table yet), then waits until an expert grain can be placed: that needs
    /// the gateway silo to know the expert silos' metadata, which arrives after membership reports them active.
    /// </summary>
    /// <param name="connectionString">The Azure Storage account holding the membership table.</param>
    /// <param name="clusterId">Cluster and service id of the silos.</param>
    /// <param name="silos">The silo processes (a silo that exits fails the wait with their output).</param>
    /// <param name="timeout">How long to keep trying.</param>
    /// <param name="configure">Extra client settings (e.g. a shorter gateway list refresh), applied after the defaults.</param>
    /// <exception cref="TimeoutException">No connection, or no expert placement, within <paramref name="timeout"/>.</exception>
    public static async Task<AzureClusterClient> ConnectAsync(string connectionString, string clusterId, SiloProcessCluster silos, TimeSpan timeout,
        Action<IClientBuilder>? configure = null)
    {
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        while (clock.Elapsed < timeout)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.UseOrleansClient(client =>
            {
                client.UseAzureStorageClustering(table => table.TableServiceClient = new TableServiceClient(connectionString));
                client.Configure<ClusterOptions>(cluster => (cluster.ClusterId, cluster.ServiceId) = (clusterId, clusterId));
                client.Configure<ClientMessagingOptions>(messaging => messaging.ResponseTimeout = TimeSpan.FromMinutes(1));
                configure?.Invoke(client);
            });
            var host = builder.Build();
            try
            {
                await host.StartAsync();
                var connected = new AzureClusterClient(host);
                await connected.WaitForExpertPlacementAsync(silos, timeout - clock.Elapsed);
                return connected;
            }
            catch (TimeoutException)
            {
                host.Dispose();
                throw;
            }
            catch (Exception e)
            {
                last = e;
                host.Dispose();
                ThrowIfASiloExited(silos);
                await Task.Delay(250);
            }
        }
        throw new TimeoutException($"No client connection to the silo processes within {timeout.TotalSeconds} s: {last?.Message}\n{silos.Output()}", last);
    }

    private async Task WaitForExpertPlacementAsync(SiloProcessCluster silos, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var probe = Client.GetGrain<IExpertGrain>(new ExpertId("readiness-probe", 0, 0).Key);
        Exception? last = null;
        while (clock.Elapsed < timeout)
        {
            try
            {
                await probe.GetInfoAsync();
                return;
            }
            catch (Exception e)
            {
                last = e;
                ThrowIfASiloExited(silos);
                await Task.Delay(200);
            }
        }
        throw new TimeoutException($"No expert could be placed within {timeout.TotalSeconds} s (silo metadata did not propagate?): {last?.Message}\n{silos.Output()}", last);
    }

    private static void ThrowIfASiloExited(SiloProcessCluster silos)
    {
        if (silos.Silos.Any(s => s.HasExited))
            throw new InvalidOperationException($"A silo process exited.\n{silos.Output()}");
    }

    /// <summary>Stops the client (10 s at most) and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(stop.Token);
        }
        finally
        {
            host.Dispose();
        }
    }
}
