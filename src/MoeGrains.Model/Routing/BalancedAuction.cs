using System.Buffers;
using System.Runtime.Intrinsics;

namespace MoeGrains.Model.Routing;

/// <summary>
/// The auction behind <see cref="BalancedAssignment"/>, on validated input. Works expert-major on
/// pooled flat buffers; nothing is allocated per round.
/// </summary>
internal static class BalancedAuction
{
    /// <summary>fairseq's max_iterations: rounds with retaining bids and max-S pins before the approximate phase.</summary>
    internal const int ExactRounds = 100;

    /// <summary>Hard cap on rounds; past it <see cref="CompleteGreedily"/> finishes the assignment.</summary>
    internal const int DefaultMaxRounds = 1000;

    /// <summary>Solves the assignment into <paramref name="assignment"/> and returns the number of bidding rounds.</summary>
    /// <param name="scores">Row-major [tokens × experts], finite.</param>
    /// <param name="tokens">T, a positive multiple of <paramref name="experts"/>.</param>
    /// <param name="experts">E, at least 2.</param>
    /// <param name="maxRounds">Rounds after which the greedy completion takes over.</param>
    /// <param name="assignment">Receives the expert of each token.</param>
    /// <param name="completedGreedily">True when the cap was hit.</param>
    public static int Run(
        ReadOnlySpan<float> scores, int tokens, int experts, int maxRounds, Span<int> assignment, out bool completedGreedily)
    {
        int k = tokens / experts, m = k + 1;
        int workers = ParallelWorkers(tokens, experts);
        float[] score = ArrayPool<float>.Shared.Rent(experts * tokens);
        float[] cost = ArrayPool<float>.Shared.Rent(tokens);
        float[] highBid = ArrayPool<float>.Shared.Rent(tokens);
        float[] increment = ArrayPool<float>.Shared.Rent(experts * k);
        float[] candidateValue = ArrayPool<float>.Shared.Rent(workers * tokens);
        float[] work = ArrayPool<float>.Shared.Rent(workers * tokens);
        float[] spare = ArrayPool<float>.Shared.Rent(workers * tokens);
        int[] candidateToken = ArrayPool<int>.Shared.Rent(workers * tokens);
        float[] pinValue = ArrayPool<float>.Shared.Rent(tokens);
        int[] top = ArrayPool<int>.Shared.Rent(experts * m);
        int[] highBidder = ArrayPool<int>.Shared.Rent(tokens);
        int[] owner = ArrayPool<int>.Shared.Rent(tokens);
        int[] pinStart = ArrayPool<int>.Shared.Rent(experts + 1);
        int[] pinned = ArrayPool<int>.Shared.Rent(tokens);
        try
        {
            // Shifting every score by min S changes no difference the auction looks at, and keeps
            // S − cost well conditioned in float when the scores sit far from zero.
            (float min, float max) = MinMax(scores);
            float maxScore = max - min;
            float epsilon = Math.Max(maxScore / 50f, 1e-4f);
            TransposeShifted(scores, tokens, experts, min, score);

            Span<float> costs = cost.AsSpan(0, tokens);
            Span<float> bids = highBid.AsSpan(0, tokens);
            Span<int> bidders = highBidder.AsSpan(0, tokens);
            Span<int> owners = owner.AsSpan(0, tokens);
            costs.Clear();
            owners.Fill(-1);
            bool pinToMax = true;

            for (int round = 0; ; round++)
            {
                if (round == maxRounds)
                {
                    CompleteGreedily(score, tokens, experts, owners, assignment);
                    completedGreedily = true;
                    return round;
                }

                GroupByOwner(owners, experts, pinStart, pinned);
                var roundPinToMax = pinToMax;
                void SelectRange(int fromExpert, int toExpert, int scratch)
                {
                    int offset = scratch * tokens;
                    for (int e = fromExpert; e < toExpert; e++)
                    {
                        int first = pinStart[e], end = pinStart[e + 1];
                        for (int p = first; p < end; p++)
                            pinValue[p] = roundPinToMax ? maxScore : score[e * tokens + pinned[p]];
                        AuctionTopK.Select(
                            score.AsSpan(e * tokens, tokens), cost.AsSpan(0, tokens), owner.AsSpan(0, tokens), e,
                            pinned.AsSpan(first, end - first), pinValue.AsSpan(first, end - first), epsilon,
                            candidateToken.AsSpan(offset, tokens), candidateValue.AsSpan(offset, tokens),
                            work.AsSpan(offset, tokens), spare.AsSpan(offset, tokens),
                            top.AsSpan(e * m, m), increment.AsSpan(e * k, k));
                    }
                }
                if (workers == 1) SelectRange(0, experts, 0);
                else
                {
                    // Experts select independently, each with its own scratch, so splitting them changes no result.
                    Parallel.For(0, workers, w => SelectRange(w * experts / workers, (w + 1) * experts / workers, w));
                }

                // Each token goes to its highest bidder; equal bids go to the lower expert. fairseq
                // scatters the bids first and then overwrites the (previous winner, token) entries
                // with ε, so a retained token is bid ε by its owner even when it is in its top-k.
                bool retain = round > 0 && round < ExactRounds;
                bids.Clear();
                for (int e = 0; e < experts; e++)
                {
                    ReadOnlySpan<int> best = top.AsSpan(e * m, k);
                    ReadOnlySpan<float> inc = increment.AsSpan(e * k, k);
                    for (int j = 0; j < k; j++)
                    {
                        int t = best[j];
                        float bid = retain && owners[t] == e ? epsilon : inc[j];
                        if (bid > bids[t])
                        {
                            bids[t] = bid;
                            bidders[t] = e;
                        }
                    }
                }
                if (retain)
                {
                    // Owners whose retained token fell outside their top-k still bid ε. Repeating
                    // the in-top-k ε bids here is harmless: taking a maximum twice changes nothing.
                    for (int t = 0; t < tokens; t++)
                    {
                        int o = owners[t];
                        if (o >= 0 && (epsilon > bids[t] || (epsilon == bids[t] && o < bidders[t])))
                        {
                            bids[t] = epsilon;
                            bidders[t] = o;
                        }
                    }
                }

                if (AllPositive(bids))
                {
                    // Every token has a bid, and bids only come from top-k sets (retained tokens
                    // are pinned inside them), so the E top-k sets cover all T = E·k tokens and
                    // are therefore disjoint.
                    for (int e = 0; e < experts; e++)
                    {
                        foreach (int t in top.AsSpan(e * m, k))
                            assignment[t] = e;
                    }
                    completedGreedily = false;
                    return round + 1;
                }

                for (int t = 0; t < tokens; t++)
                {
                    costs[t] += bids[t];
                    owners[t] = bids[t] > 0 ? bidders[t] : -1;
                }
                pinToMax = round < ExactRounds;
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(score);
            ArrayPool<float>.Shared.Return(cost);
            ArrayPool<float>.Shared.Return(highBid);
            ArrayPool<float>.Shared.Return(increment);
            ArrayPool<float>.Shared.Return(candidateValue);
            ArrayPool<float>.Shared.Return(work);
            ArrayPool<float>.Shared.Return(spare);
            ArrayPool<int>.Shared.Return(candidateToken);
            ArrayPool<float>.Shared.Return(pinValue);
            ArrayPool<int>.Shared.Return(top);
            ArrayPool<int>.Shared.Return(highBidder);
            ArrayPool<int>.Shared.Return(owner);
            ArrayPool<int>.Shared.Return(pinStart);
            ArrayPool<int>.Shared.Return(pinned);
        }
    }

    /// <summary>Threads for the per-expert selections: one below ~64K scores, where a fork costs more than it saves.</summary>
    private static int ParallelWorkers(int tokens, int experts) =>
        (long)tokens * experts < 65_536 ? 1 : Math.Min(Environment.ProcessorCount, experts);

    private static bool AllPositive(ReadOnlySpan<float> bids)
    {
        foreach (float b in bids)
        {
            if (!(b > 0))
                return false;
        }
        return true;
    }

    private static (float Min, float Max) MinMax(ReadOnlySpan<float> values)
    {
        int i = 0;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<float>.Count)
        {
            Vector256<float> lo = Vector256.Create(min), hi = Vector256.Create(max);
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> v = Vector256.Create(values[i..]);
                lo = Vector256.Min(lo, v);
                hi = Vector256.Max(hi, v);
            }
            for (int lane = 0; lane < Vector256<float>.Count; lane++)
            {
                min = Math.Min(min, lo.GetElement(lane));
                max = Math.Max(max, hi.GetElement(lane));
            }
        }
        for (; i < values.Length; i++)
        {
            min = Math.Min(min, values[i]);
            max = Math.Max(max, values[i]);
        }
        return (min, max);
    }

    /// <summary>Writes (scores − shift) transposed to expert-major, in token blocks so reads and writes both stay in cache.</summary>
    private static void TransposeShifted(ReadOnlySpan<float> scores, int tokens, int experts, float shift, float[] expertMajor)
    {
        const int Block = 64;
        for (int t0 = 0; t0 < tokens; t0 += Block)
        {
            int t1 = Math.Min(t0 + Block, tokens);
            for (int e = 0; e < experts; e++)
            {
                Span<float> dst = expertMajor.AsSpan(e * tokens, tokens);
                for (int t = t0; t < t1; t++)
                    dst[t] = scores[t * experts + e] - shift;
            }
        }
    }

    /// <summary>Counting sort of the owned tokens by owner: expert e's are pinned[pinStart[e]..pinStart[e+1]).</summary>
    private static void GroupByOwner(ReadOnlySpan<int> owners, int experts, int[] pinStart, int[] pinned)
    {
        Array.Clear(pinStart, 0, experts + 1);
        foreach (int o in owners)
        {
            if (o >= 0)
                pinStart[o + 1]++;
        }
        for (int e = 0; e < experts; e++)
            pinStart[e + 1] += pinStart[e];
        for (int t = 0; t < owners.Length; t++)
        {
            int o = owners[t];
            if (o >= 0)
                pinned[pinStart[o]++] = t;
        }
        // The fill advanced each start to the next expert's start; shift back.
        for (int e = experts; e > 0; e--)
            pinStart[e] = pinStart[e - 1];
        pinStart[0] = 0;
    }

    /// <summary>
    /// Fallback past the round cap: keeps each expert's current wins (up to k) and gives every
    /// remaining token, in index order, to the free expert with the highest score (lower expert on
    /// ties). Deterministic and exactly balanced, but not ε-optimal.
    /// </summary>
    internal static void CompleteGreedily(
        ReadOnlySpan<float> expertMajorScores, int tokens, int experts, ReadOnlySpan<int> owners, Span<int> assignment)
    {
        int k = tokens / experts;
        Span<int> load = experts <= 1024 ? stackalloc int[experts] : new int[experts];
        load.Clear();
        for (int t = 0; t < tokens; t++)
        {
            int o = owners[t];
            if (o >= 0 && load[o] < k)
            {
                load[o]++;
                assignment[t] = o;
            }
            else
            {
                assignment[t] = -1;
            }
        }
        for (int t = 0; t < tokens; t++)
        {
            if (assignment[t] >= 0)
                continue;
            int chosen = -1;
            float best = float.NegativeInfinity;
            for (int e = 0; e < experts; e++)
            {
                float s = expertMajorScores[e * tokens + t];
                if (load[e] < k && (chosen < 0 || s > best))
                {
                    chosen = e;
                    best = s;
                }
            }
            load[chosen]++;
            assignment[t] = chosen;
        }
    }
}
