using System.Collections.Concurrent;
using System.Diagnostics;
using MoeGrains.Abstractions.Inference;
using MoeGrains.Client;

namespace MoeGrains.Faults.Tests.Cluster;

/// <summary>
/// Concurrent clients sending requests back to back until stopped: by default to one model, where even-numbered clients score a
/// text and odd-numbered ones generate a few tokens (when <c>generators</c> is on); or any request the caller gives. Every
/// request is recorded with its start, end and error.
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
        : this(clientCount, (index, token) => generators && index % 2 == 1 ? GenerateAsync(client, model, index, token) : ScoreAsync(client, model, index, token),
            requestTimeout)
    {
    }

    /// <param name="clientCount">Concurrent clients.</param>
    /// <param name="send">One request of client i: null when it succeeded, else what was wrong with the answer (exceptions count as failures too).</param>
    /// <param name="requestTimeout">A request not answered within this counts as failed and the client sends the next (default 60 s).</param>
    public RequestLoad(int clientCount, Func<int, CancellationToken, Task<string?>> send, TimeSpan? requestTimeout = null)
    {
        Clients = clientCount;
        this.requestTimeout = requestTimeout ?? TimeSpan.FromSeconds(60);
        clients = [.. Enumerable.Range(0, clientCount).Select(i => Task.Run(() => RunAsync(i, send)))];
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

    private static async Task<string?> GenerateAsync(MoeClient client, string model, int index, CancellationToken cancellationToken)
    {
        var tokens = 0;
        await foreach (var _ in client.GenerateAsync(model, new GenerationRequest($"Client {index}:", MaxTokens: 4), cancellationToken)) tokens++;
        return tokens == 4 ? null : $"generated {tokens} tokens instead of 4";
    }

    private static async Task<string?> ScoreAsync(MoeClient client, string model, int index, CancellationToken cancellationToken)
    {
        var scores = await client.ScoreAsync(model, [$"Client {index} asks the cluster to score this sentence about experts and routers."]).WaitAsync(cancellationToken);
        return scores.Count == 1 ? null : $"{scores.Count} scores for one text";
    }

    private async Task RunAsync(int index, Func<int, CancellationToken, Task<string?>> send)
    {
        while (!stop.IsCancellationRequested)
        {
            var start = clock.Elapsed;
            string? error;
            try
            {
                using var timeout = new CancellationTokenSource(requestTimeout);
                error = await send(index, timeout.Token).WaitAsync(timeout.Token);
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
