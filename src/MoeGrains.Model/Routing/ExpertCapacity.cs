namespace MoeGrains.Model.Routing;

/// <summary>
/// Expert buffer sizes of the capacity-limited gates, as fairseq's top1gating/top2gating compute them.
/// The arithmetic is done in double exactly as Python does it, so capacities match fairseq bit for bit.
/// </summary>
internal static class ExpertCapacity
{
    /// <summary>
    /// Switch (top-1): int(cf · ceil(T/E)) while training; ceil(f · T) in evaluation, unless f is negative, in which
    /// case evaluation uses the training capacity.
    /// </summary>
    public static long Switch(long tokens, int experts, double capacityFactor, double evalCapacityFraction, bool training) =>
        !training && evalCapacityFraction > 0
            ? EvalCapacity(tokens, evalCapacityFraction)
            : (long)(capacityFactor * CeilDiv(tokens, experts));

    /// <summary>
    /// Top-2 (GShard): 2 · ceil(T/E) while training (fairseq ignores the capacity factor here); ceil(f · T) in
    /// evaluation — without the factor 2, as fairseq does — unless f is negative (then the training capacity).
    /// </summary>
    public static long Top2(long tokens, int experts, double evalCapacityFraction, bool training) =>
        !training && evalCapacityFraction > 0
            ? EvalCapacity(tokens, evalCapacityFraction)
            : 2 * CeilDiv(tokens, experts);

    private static long EvalCapacity(long tokens, double fraction) => (long)Math.Ceiling(fraction * tokens);

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
