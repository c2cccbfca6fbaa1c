using System.Collections.Concurrent;
using System.Diagnostics;
using MoeGrains.Abstractions.Inference;
using MoeGrains.Client;

namespace MoeGrains.Faults.Tests.Cluster;

/// <summary>
/// Concurrent clients sending requests to one model back to back until stopped: even-numbered clients score a text, odd-numbered
/// ones generate a few tokens (when <c>generators</c> is on). Every request is recorded with its start, end and error.
/// </summary>
public sealed class RequestLoad : IAsyncDisposable
{
    private readonly ConcurrentQueue<RequestRecord> records = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Task[] clients;
    private readonly TimeSpan requestTimeout;

    /// <param name="requestTimeout">A request not answered within this counts as failed and the client sends the next (default 60 s).</param>
    public RequestLoad(MoeClient client, string model, int clientCount, bool generators = true, TimeSpan? requestTimeout = null)
    {
        Clients = clientCount;
        this.requestTimeout = requestTimeout ?? TimeSpan.FromSeconds(60);
        clients = [.. Enumerable.Range(0, clientCount).Select(i => Task.Run(() => RunAsync(client, model, i, generators && i % 2 == 1)))];
    }

    public int Clients { get; }

    /// <summary>Time since the load started (the clock of every <see cref="RequestRecord"/>).</summary>
    public TimeSpan Elapsed => clock.Elapsed;

    public IReadOnlyList<RequestRecord> Records => [.. records];

    /// <summary>Stops sending, waits for the requests in flight, and returns every record.</summary>
    public async Task<IReadOnlyList<RequestRecord>> StopAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        return Records;
    }

    private async Task RunAsync(MoeClient client, string model, int index, bool generate)
    {
        var text = $"Client {index} asks the cluster to score this sentence about experts and routers.";
        while (!stop.IsCancellationRequested)
        {
            var start = clock.Elapsed;
            string? error = null;
            try
            {
                using var timeout = new CancellationTokenSource(requestTimeout);
                if (generate)
                {
                    var tokens = 0;
                    await foreach (var _ in client.GenerateAsync(model, new GenerationRequest($"Client {index}:", MaxTokens: 4), timeout.Token)) tokens++;
                    if (tokens != 4) error = $"generated {tokens} tokens instead of 4";
                }
                else
                {
                    var scores = await client.ScoreAsync(model, [text]).WaitAsync(timeout.Token);
                    if (scores.Count != 1) error = $"{scores.Count} scores for one text";
                }
            }
            catch (Exception e)
            {
                error = $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
            }
            records.Enqueue(new RequestRecord(start, clock.Elapsed, error));
            if (error is not null) await Task.Delay(50); // a failing cluster is not hammered in a tight loop
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested) await StopAsync();
        stop.Dispose();
    }
}
