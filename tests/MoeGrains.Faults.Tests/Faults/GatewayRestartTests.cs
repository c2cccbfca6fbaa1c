using MoeGrains.Faults.Tests.Cluster;
using Xunit.Abstractions;

namespace MoeGrains.Faults.Tests.Faults;

/// <summary>
/// The only gateway silo (which also hosts the routers) is killed and started again on the same ports. Requests in flight through
/// the dead gateway get no answer: the client would wait its whole response timeout for them (a minute here, 10 min in the SDK's
/// defaults), so the load gives up on a request after <see cref="RequestTimeout"/> and sends the next.
/// </summary>
[Collection(FaultClusterCollection.Name)]
public sealed class GatewayRestartTests(FaultCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task After_the_gateway_silo_restarts_the_client_reconnects_by_itself_and_serving_resumes()
    {
        await cluster.RestoreAsync();
        await using var load = new RequestLoad(cluster.Client, FaultCluster.ServedModel, 2, requestTimeout: RequestTimeout);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await cluster.Gateway.KillAsync();
        var killedAt = load.Elapsed;
        await cluster.Silos.RestartAsync(0);
        var listeningAt = load.Elapsed;
        var recovery = await ServingRecovery.AwaitAsync(load, killedAt, RecoveryBound);
        var records = await load.StopAsync();

        var recoveredAt = killedAt + recovery;
        Assert.DoesNotContain(records, r => r.Failed && r.End < killedAt);
        Assert.DoesNotContain(records, r => r.Failed && r.Start > recoveredAt);
        Assert.Contains(records, r => !r.Failed && r.Start > recoveredAt); // the same client object, reconnected
        var verified = await cluster.VerifyCommittedAsync();

        var failed = records.Count(r => r.Failed);
        FaultReport.Record(new FaultFigures("gateway silo killed and restarted", records.Count, failed, 0, verified, recovery,
            $"same client reconnected (gateway listening again {(listeningAt - killedAt).TotalSeconds:F1} s after the kill; requests given up after {RequestTimeout.TotalSeconds:F0} s)" +
            (failed == 0 ? "" : $"; errors: {ServingRecovery.Errors(records)}")), output);
    }
}
