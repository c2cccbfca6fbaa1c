using MoeGrains.Model.Inference;
using static TorchSharp.torch;

namespace MoeGrains.Model.Scoring;

/// <summary>
/// <see cref="IContinuationScorer"/> over any <see cref="LogitsSource"/>: requests are sorted by length and sent as
/// right-padded batches of up to <c>rowsPerForward</c> rows. Causal attention never lets a position see the padding
/// after it, and inference sources route dropless, so a row's log-probabilities equal scoring it alone (up to float
/// rounding of the larger matrix products).
/// </summary>
public sealed class BatchedContinuationScorer : IContinuationScorer
{
    /// <summary>Rows per forward call unless told otherwise.</summary>
    public const int DefaultRowsPerForward = 16;

    private readonly LogitsSource source;
    private readonly int rowsPerForward;
    private readonly int forwardsInFlight;

    /// <summary>Scores through <paramref name="source"/>, at most <paramref name="rowsPerForward"/> sequences per forward.</summary>
    /// <param name="source">The logits function.</param>
    /// <param name="rowsPerForward">Sequences per forward call.</param>
    /// <param name="forwardsInFlight">
    /// Forward calls started before the oldest is awaited. Above 1 an asynchronous source (a router whose experts run in other
    /// grains) computes one batch while another waits for its experts; a synchronous source still runs them one by one.
    /// Each row's result is the same either way.
    /// </param>
    public BatchedContinuationScorer(LogitsSource source, int rowsPerForward = DefaultRowsPerForward, int forwardsInFlight = 1)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerForward, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(forwardsInFlight, 1);
        this.source = source;
        this.rowsPerForward = rowsPerForward;
        this.forwardsInFlight = forwardsInFlight;
    }

    /// <inheritdoc/>
    public int ContextLength => source.ContextLength;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<double[]>> ScoreAsync(IReadOnlyList<ContinuationRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var inputs = new long[requests.Count][];
        for (var i = 0; i < requests.Count; i++)
        {
            source.Validate(requests[i].Context, nameof(requests), 1, $"context of request {i}");
            source.Validate(requests[i].Continuation, nameof(requests), 1, $"continuation of request {i}");
            inputs[i] = ContinuationWindow.Input(requests[i], source.ContextLength);
        }

        var results = new double[requests.Count][];
        var order = Enumerable.Range(0, requests.Count).OrderByDescending(i => inputs[i].Length).ThenBy(i => i).ToArray();
        var inFlight = new Queue<Forward>();
        try
        {
            for (var start = 0; start < order.Length; start += rowsPerForward)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rows = order[start..Math.Min(order.Length, start + rowsPerForward)];
                var length = rows.Max(i => inputs[i].Length);
                var padded = new long[rows.Length * length]; // padding id 0: any valid id, never attended to by earlier positions
                for (var r = 0; r < rows.Length; r++) inputs[rows[r]].CopyTo(padded, r * length);
                var tokens = tensor(padded, [rows.Length, length]);
                inFlight.Enqueue(new Forward(rows, tokens, Start(tokens, cancellationToken)));
                if (inFlight.Count >= forwardsInFlight) await CollectAsync(inFlight.Dequeue(), inputs, requests, results).ConfigureAwait(false);
            }
            while (inFlight.Count > 0) await CollectAsync(inFlight.Dequeue(), inputs, requests, results).ConfigureAwait(false);
        }
        finally
        {
            // After a failure: wait for the forwards still running, so nothing outlives the call, and free what they made.
            while (inFlight.TryDequeue(out var forward))
            {
                try
                {
                    (await forward.Logits.ConfigureAwait(false)).Dispose();
                }
                catch (Exception)
                {
                    // the first failure is the one reported
                }
                forward.Tokens.Dispose();
            }
        }
        return results;
    }

    private Task<Tensor> Start(Tensor tokens, CancellationToken cancellationToken)
    {
        try
        {
            return source.LogitsAsync(tokens, cancellationToken);
        }
        catch (Exception e)
        {
            return Task.FromException<Tensor>(e);
        }
    }

    private static async Task CollectAsync(Forward forward, long[][] inputs, IReadOnlyList<ContinuationRequest> requests, double[][] results)
    {
        using var tokens = forward.Tokens;
        using var logits = await forward.Logits.ConfigureAwait(false); // [B, L, V]
        for (var r = 0; r < forward.Rows.Length; r++)
            results[forward.Rows[r]] = Gather(logits, r, inputs[forward.Rows[r]].Length, requests[forward.Rows[r]].Continuation);
    }

    /// <summary>One started forward call: which requests its rows are, its token ids and its logits to come.</summary>
    private sealed record Forward(int[] Rows, Tensor Tokens, Task<Tensor> Logits);

    /// <summary>log-softmax in float64 of row <paramref name="row"/>, picked at the positions that predict the continuation.</summary>
    private static double[] Gather(Tensor logits, int row, int inputLength, IReadOnlyList<int> continuation)
    {
        using var scope = NewDisposeScope();
        var first = inputLength - continuation.Count; // position predicting continuation[0]
        var rowLogits = logits[row].narrow(0, first, continuation.Count).to(ScalarType.Float64); // [m, V]
        var logProbs = nn.functional.log_softmax(rowLogits, 1);
        var targets = tensor(continuation.Select(t => (long)t).ToArray()).unsqueeze(1).to(logProbs.device); // [m, 1]
        return logProbs.gather(1, targets).squeeze(1).cpu().data<double>().ToArray();
    }
}
