namespace MoeGrains.Model.Scoring;

/// <summary>Fits a <see cref="ContinuationRequest"/> into a model window by dropping the oldest context tokens.</summary>
public static class ContinuationWindow
{
    /// <summary>
    /// How many context tokens are kept: all of them when context + continuation − 1 ≤ <paramref name="contextLength"/>,
    /// otherwise the last <c>contextLength + 1 − continuation</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The continuation alone needs the whole window (no context token would fit).</exception>
    public static int KeptContext(int context, int continuation, int contextLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(context, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(continuation, 1);
        var room = contextLength + 1 - continuation;
        if (room < 1)
            throw new ArgumentException($"A continuation of {continuation} tokens does not fit the model's window of {contextLength} tokens " +
                $"(at most {contextLength} continuation tokens after at least one context token).");
        return Math.Min(context, room);
    }

    /// <summary>The model input: the kept context, then every continuation token but the last.</summary>
    public static long[] Input(ContinuationRequest request, int contextLength)
    {
        var kept = KeptContext(request.Context.Count, request.Continuation.Count, contextLength);
        var input = new long[kept + request.Continuation.Count - 1];
        for (var i = 0; i < kept; i++) input[i] = request.Context[request.Context.Count - kept + i];
        for (var k = 0; k < request.Continuation.Count - 1; k++) input[kept + k] = request.Continuation[k];
        return input;
    }
}
