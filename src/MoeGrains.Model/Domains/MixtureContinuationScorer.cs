using MoeGrains.Model.Data;
using MoeGrains.Model.Scoring;
using static TorchSharp.torch;

namespace MoeGrains.Model.Domains;

/// <summary>
/// <see cref="IContinuationScorer"/> over a mixture of domain experts with a fixed prior, so that every zero-shot method
/// runs over the mixture unchanged. For a request with context c and continuation y each expert j gives log P_j(c) and
/// log P_j(y | c) from one forward over c + y; the mixture is
/// log P_mix(y | c) = logsumexp_j (log w_j + log P_j(y | c)) with the posterior w_j ∝ prior_j · P_j(c)
/// (<see cref="MixtureMath.MixContinuation"/>).
/// </summary>
/// <remarks>
/// <para>
/// A mixture has a probability for the whole continuation, not one per token: mixing token by token would weigh the
/// experts differently at every token. So every token of y is reported as log P_mix(y | c) / |y|: the sum over y's tokens
/// is log P_mix(y | c) and the mean is log P_mix(y | c) / |y| (up to float rounding), which are the two quantities the
/// methods use; the individual token values carry no further meaning.
/// </para>
/// <para>
/// The context is left-truncated to the window as by the single-model scorer; P_j(c) is the likelihood of the kept context
/// from its second token on (the models have no beginning-of-text token to predict the first from), so a one-token
/// context leaves the prior unchanged. Requests are sorted by length and sent as right-padded batches of up to
/// <c>rowsPerBatch</c> rows, one concurrent call per expert per batch; causal attention keeps the padding out of every
/// position that is read.
/// </para>
/// </remarks>
public sealed class MixtureContinuationScorer : IContinuationScorer
{
    /// <summary>Rows per expert call unless told otherwise.</summary>
    public const int DefaultRowsPerBatch = 16;

    private readonly IReadOnlyList<ExpertScorer> experts;
    private readonly double[] prior;
    private readonly int vocabularySize;
    private readonly int rowsPerBatch;

    /// <summary>A mixture of <paramref name="experts"/> weighted by <paramref name="prior"/> before the context is seen.</summary>
    /// <param name="experts">At least one expert.</param>
    /// <param name="prior">One positive weight per expert (normalised here).</param>
    /// <param name="contextLength">The experts' window.</param>
    /// <param name="vocabularySize">The experts' vocabulary: every token id must be below it.</param>
    /// <param name="rowsPerBatch">Sequences per expert call.</param>
    /// <exception cref="ArgumentException">No experts, or a prior of the wrong length or with a weight that is not positive.</exception>
    public MixtureContinuationScorer(IReadOnlyList<ExpertScorer> experts, IReadOnlyList<double> prior, int contextLength, int vocabularySize,
        int rowsPerBatch = DefaultRowsPerBatch)
    {
        ArgumentNullException.ThrowIfNull(experts);
        ArgumentNullException.ThrowIfNull(prior);
        if (experts.Count == 0) throw new ArgumentException("A mixture needs at least one expert.", nameof(experts));
        if (prior.Count != experts.Count)
            throw new ArgumentException($"The prior has {prior.Count} weights; the mixture has {experts.Count} experts.", nameof(prior));
        if (prior.Any(p => !(p > 0) || double.IsInfinity(p)))
            throw new ArgumentException("Every prior weight must be a positive number.", nameof(prior));
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerBatch, 1);
        this.experts = experts;
        var sum = prior.Sum();
        this.prior = [.. prior.Select(p => p / sum)];
        ContextLength = contextLength;
        this.vocabularySize = vocabularySize;
        this.rowsPerBatch = rowsPerBatch;
    }

    /// <inheritdoc/>
    public int ContextLength { get; }

    /// <summary>The experts' names, in mixture order.</summary>
    public IReadOnlyList<string> Experts => [.. experts.Select(e => e.Name)];

    /// <summary>The prior, normalised, one weight per expert.</summary>
    public IReadOnlyList<double> Prior => prior;

    /// <inheritdoc/>
    /// <remarks>Each token of a continuation gets log P_mix(y | c) / |y| (see the class remarks).</remarks>
    public async Task<IReadOnlyList<double[]>> ScoreAsync(IReadOnlyList<ContinuationRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var rows = new long[requests.Count][];
        var kept = new int[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i] ?? throw new ArgumentException($"Request {i} is null.", nameof(requests));
            Validate(request.Context, $"context of request {i}");
            Validate(request.Continuation, $"continuation of request {i}");
            kept[i] = ContinuationWindow.KeptContext(request.Context.Count, request.Continuation.Count, ContextLength);
            rows[i] = [.. ContinuationWindow.Input(request, ContextLength), request.Continuation[^1]];
        }

        var results = new double[requests.Count][];
        var order = Enumerable.Range(0, requests.Count).OrderByDescending(i => rows[i].Length).ThenBy(i => i).ToArray();
        for (var start = 0; start < order.Length; start += rowsPerBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = order[start..Math.Min(order.Length, start + rowsPerBatch)];
            var perExpert = await ExpertLogProbsAsync(chunk.Select(i => rows[i]).ToArray(), cancellationToken).ConfigureAwait(false);
            for (var r = 0; r < chunk.Length; r++)
            {
                var i = chunk[r];
                var contextTargets = kept[i] - 1;                   // positions 0 … kept − 2 predict context tokens 1 … kept − 1
                var continuation = requests[i].Continuation.Count;  // the next |y| positions predict y
                var contextLogProbs = new double[experts.Count];
                var continuationLogProbs = new double[experts.Count];
                for (var j = 0; j < experts.Count; j++)
                {
                    var row = perExpert[j].AsSpan(r * (perExpert[j].Length / chunk.Length)); // row r of [rows, width − 1]
                    contextLogProbs[j] = Sum(row[..contextTargets]);
                    continuationLogProbs[j] = Sum(row.Slice(contextTargets, continuation));
                }
                var mixed = MixtureMath.MixContinuation(prior, contextLogProbs, continuationLogProbs);
                results[i] = Enumerable.Repeat(mixed / continuation, continuation).ToArray();
            }
        }
        return results;
    }

    /// <summary>Every expert's target log-probabilities of the right-padded rows, flattened row-major: [rows · (width − 1)] each.</summary>
    private async Task<double[][]> ExpertLogProbsAsync(long[][] rows, CancellationToken cancellationToken)
    {
        var width = rows.Max(row => row.Length);
        var padded = new long[rows.Length * width]; // padding id 0: any valid id, never attended to by the positions read
        for (var r = 0; r < rows.Length; r++) rows[r].CopyTo(padded, r * width);
        using var batch = new Batch(tensor(padded, [rows.Length, width]), zeros(rows.Length, ScalarType.Int64));
        var logProbs = await Task.WhenAll(experts.Select(expert => expert.LogProbs(batch, cancellationToken))).ConfigureAwait(false);
        try
        {
            using var scope = NewDisposeScope();
            for (var j = 0; j < logProbs.Length; j++)
                if (logProbs[j].dim() != 2 || logProbs[j].shape[0] != rows.Length || logProbs[j].shape[1] != width - 1)
                    throw new InvalidOperationException($"Expert '{experts[j].Name}' returned log-probabilities of shape " +
                        $"[{string.Join(", ", logProbs[j].shape)}]; expected [{rows.Length}, {width - 1}].");
            return [.. logProbs.Select(t => t.to(ScalarType.Float64).cpu().data<double>().ToArray())];
        }
        finally
        {
            foreach (var t in logProbs) t.Dispose();
        }
    }

    private void Validate(IReadOnlyList<int> tokens, string what)
    {
        if (tokens is null || tokens.Count == 0) throw new ArgumentException($"The {what} is empty.");
        foreach (var token in tokens)
            if (token < 0 || token >= vocabularySize)
                throw new ArgumentException($"The {what} has token id {token}, outside the vocabulary [0, {vocabularySize}).");
    }

    private static double Sum(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var value in values) sum += value;
        return sum;
    }
}
