using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace MoeGrains.Cluster.Benchmarks;

/// <summary>An Orleans client host connected to a gateway of silo processes on loopback, retried while they start (up to 120 s).</summary>
internal static class LoopbackClient
{
    /// <summary>
    /// Connects to <paramref name="gatewayPort"/> of cluster <paramref name="clusterId"/> (also the service id);
    /// <paramref name="beforeAttempt"/> may throw to stop retrying (e.g. a silo process has exited).
    /// </summary>
    public static async Task<IHost> ConnectAsync(int gatewayPort, string clusterId, TimeSpan responseTimeout, Action? beforeAttempt = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            beforeAttempt?.Invoke();
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders(); // connection retries while the silos start would fill the tables' output
            builder.UseOrleansClient(client =>
            {
                client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort));
                client.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (clusterId, clusterId));
                client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = responseTimeout);
            });
            var host = builder.Build();
            try
            {
                await host.StartAsync();
                return host;
            }
            catch (Exception) when (clock.Elapsed < TimeSpan.FromSeconds(120))
            {
                host.Dispose();
                await Task.Delay(500);
            }
        }
    }
}
