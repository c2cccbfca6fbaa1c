using Microsoft.Extensions.Logging;
using MoeGrains.Cli.Cluster;
using MoeGrains.Client.Connection;
using Orleans.Runtime;

namespace MoeGrains.Cli.Up;

/// <summary>
/// A local cluster of silo processes on loopback: the first is the primary and the only gateway; all share localhost
/// clustering, a Files grain-state folder and a local checkpoint store.
/// </summary>
internal sealed class LocalCluster(IReadOnlyList<SiloPlan> plans, string store, ILogger logger) : IAsyncDisposable
{
    private readonly List<SiloProcess> silos = [];

    public IReadOnlyList<SiloProcess> Silos => silos;

    public string GatewayList => $"127.0.0.1:{plans[0].GatewayPort}";

    /// <summary>Starts every silo (the primary first) and waits until the cluster's membership lists them all as active.</summary>
    public async Task StartAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        foreach (var plan in plans)
            if (!FreePorts.IsFree(plan.SiloPort) || (plan.GatewayPort != 0 && !FreePorts.IsFree(plan.GatewayPort)))
                throw new ArgumentException($"Port {(FreePorts.IsFree(plan.SiloPort) ? plan.GatewayPort : plan.SiloPort)} on 127.0.0.1 is in use; choose other ports with --base-port / --gateway-port.");
        Directory.CreateDirectory(store);
        foreach (var plan in plans)
        {
            silos.Add(SiloProcess.Start(plan, plan.Arguments(plans[0].SiloPort, store), Directory.GetCurrentDirectory()));
            logger.LogInformation("Started silo{Index} (pid {Pid}) on 127.0.0.1:{SiloPort}", plan.Index, silos[^1].Id, plan.SiloPort);
        }
        await WaitForMembershipAsync(timeout, cancellationToken);
        if (plans[0].DashboardPort is { } dashboard && dashboard > 0)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                await WaitForDashboardAsync(dashboard, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The Orleans Dashboard did not listen on 127.0.0.1:{dashboard} within {timeout.TotalSeconds:N0} s.");
            }
        }
    }

    /// <summary>
    /// The primary's dashboard starts listening after the silo joined the cluster (slower under load): the cluster is
    /// announced only once its address answers.
    /// </summary>
    private async Task WaitForDashboardAsync(int port, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (silos[0].HasExited)
                throw new InvalidOperationException($"silo0 (pid {silos[0].Id}) exited with code {silos[0].ExitCode} while its dashboard was starting.");
            using var client = new System.Net.Sockets.TcpClient();
            try
            {
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port, cancellationToken);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                // not listening yet
            }
            await Task.Delay(250, cancellationToken);
        }
    }

    private async Task WaitForMembershipAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var active = 0;
        while (true)
        {
            if (silos.FirstOrDefault(s => s.HasExited) is { } dead)
                throw new InvalidOperationException($"silo{dead.Plan.Index} (pid {dead.Id}) exited with code {dead.ExitCode} while the cluster was starting; see its output above.");
            try
            {
                await using var connection = await MoeClusterConnection.ConnectAsync(GatewayList, cancellationToken: deadline.Token);
                while (true)
                {
                    var hosts = await connection.Cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
                    active = hosts.Count;
                    if (active >= plans.Count) return;
                    if (silos.FirstOrDefault(s => s.HasExited) is { } gone)
                        throw new InvalidOperationException($"silo{gone.Plan.Index} (pid {gone.Id}) exited with code {gone.ExitCode} while the cluster was starting.");
                    await Task.Delay(500, deadline.Token);
                }
            }
            catch (ClusterConnectionException) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(500, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The local cluster did not come up within {timeout.TotalSeconds:N0} s ({active} of {plans.Count} silos active).");
            }
        }
    }

    /// <summary>Completes when a silo exits on its own; returns it.</summary>
    public async Task<SiloProcess> WaitForAnyExitAsync(CancellationToken cancellationToken)
    {
        var running = silos.Where(s => !s.HasExited).ToList();
        if (running.Count == 0) throw new InvalidOperationException("No silo is running.");
        var exits = running.Select(async s =>
        {
            await s.WaitForExitAsync(cancellationToken);
            return s;
        });
        return await await Task.WhenAny(exits);
    }

    /// <summary>Stops every silo: SIGTERM to all (the non-primary ones first), then a kill for any still there after 15 s.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var silo in silos.AsEnumerable().Reverse()) silo.RequestStop();
        await Task.WhenAll(silos.Select(s => s.WaitOrKillAsync(TimeSpan.FromSeconds(15))));
        foreach (var silo in silos) silo.Dispose();
    }
}
