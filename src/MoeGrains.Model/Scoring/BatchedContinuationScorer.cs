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

    /// <summary>Scores through <paramref name="source"/>, at most <paramref name="rowsPerForward"/> sequences per forward.</summary>
    public BatchedContinuationScorer(LogitsSource source, int rowsPerForward = DefaultRowsPerForward)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerForward, 1);
        this.source = source;
        this.rowsPerForward = rowsPerForward;
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
        for (var start = 0; start < order.Length; start += rowsPerForward)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = order[start..Math.Min(order.Length, start + rowsPerForward)];
            var length = rows.Max(i => inputs[i].Length);
            var padded = new long[rows.Length * length]; // padding id 0: any valid id, never attended to by earlier positions
            for (var r = 0; r < rows.Length; r++) inputs[rows[r]].CopyTo(padded, r * length);
            using var tokens = tensor(padded, [rows.Length, length]);
            using var logits = await source.LogitsAsync(tokens, cancellationToken).ConfigureAwait(false); // [B, L, V]
            for (var r = 0; r < rows.Length; r++)
                results[rows[r]] = Gather(logits, r, inputs[rows[r]].Length, requests[rows[r]].Continuation);
        }
        return results;
    }

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
