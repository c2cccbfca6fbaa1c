using System.Diagnostics;
using MoeGrains.Abstractions.Inference;
using MoeGrains.Client;
using MoeGrains.Faults.Tests.Cluster;
using Xunit.Abstractions;

namespace MoeGrains.Faults.Tests.Faults;

/// <summary>Clients walk away from a token stream half-way: one stops reading, another disappears with its connection.</summary>
[Collection(FaultClusterCollection.Name)]
public sealed class ClientDisconnectTests(FaultCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Abandoned_generation_streams_do_not_stop_the_cluster_serving_others()
    {
        await cluster.RestoreAsync();
        await using var load = new RequestLoad(cluster.Client, FaultCluster.ServedModel, 2, generators: false);
        var endless = new GenerationRequest("A stream nobody will finish reading:", MaxTokens: 500);

        // 1. The caller stops reading after two tokens (the enumerator is disposed).
        var read = 0;
        await foreach (var _ in cluster.Client.GenerateAsync(FaultCluster.ServedModel, endless))
            if (++read == 2) break;

        // 2. A second client reads two tokens and then its whole connection goes away, without disposing the stream.
        var second = await cluster.ConnectAsync();
        var stream = new MoeClient(second.Client).GenerateAsync(FaultCluster.ServedModel, endless).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync());
        Assert.True(await stream.MoveNextAsync());
        await second.DisposeAsync();
        var disconnectedAt = load.Elapsed;

        // The cluster keeps serving: a full generation on the first client, and the scoring clients never fail.
        var clock = Stopwatch.StartNew();
        var tokens = 0;
        using (var timeout = new CancellationTokenSource(Bound))
            await foreach (var _ in cluster.Client.GenerateAsync(FaultCluster.ServedModel, new GenerationRequest("Still here?", MaxTokens: 8), timeout.Token))
                tokens++;
        var recovery = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2));
        var records = await load.StopAsync();

        Assert.Equal(8, tokens);
        Assert.True(records.Count(r => r.Start > disconnectedAt) > 0, "no scoring request ran after the disconnect");
        Assert.True(records.All(r => !r.Failed), $"scoring failed: {ServingRecovery.Errors(records)}");
        var verified = await cluster.VerifyCommittedAsync();
        FaultReport.Record(new FaultFigures("client abandons a token stream / disconnects mid-stream", records.Count + 3, 0, 0, verified, recovery,
            "others served throughout; time to recover = a new 8-token generation after the disconnect"), output);
    }
}
