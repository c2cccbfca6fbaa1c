using System.Numerics;
using System.Runtime.Intrinsics;

namespace MoeGrains.Model.Routing;

/// <summary>
/// Top-(k+1) selection of one expert's row for the auction, in O(T). The row is S − cost, except
/// the expert's pinned tokens, whose value is given. Order: higher value first; among equal values
/// the expert's pinned tokens first, then lower token index.
/// </summary>
/// <remarks>
/// A sample of the row gives a lower bound L that about k+1 (plus a safety margin) tokens reach;
/// one vectorised pass collects those candidates, and the exact selection runs on them only. If
/// fewer than k+1 tokens reach L the pass is repeated with a deeper sample bound and then with
/// L = −∞, so the result never depends on the sample.
/// </remarks>
internal static class AuctionTopK
{
    private const int SampleSize = 256;

    /// <summary>Selects the expert's top k+1 tokens and its bids on the top k.</summary>
    /// <param name="scoreRow">The expert's scores S[e, ·], length T.</param>
    /// <param name="cost">Cost of each token, length T.</param>
    /// <param name="owners">Previous round's winner of each token, or -1.</param>
    /// <param name="expert">This expert.</param>
    /// <param name="pinnedTokens">Tokens the expert won in the previous round, ascending.</param>
    /// <param name="pinnedValues">Their value this round (max S, or S in the approximate phase); may alias nothing else.</param>
    /// <param name="epsilon">ε added to every bid.</param>
    /// <param name="candidateTokens">Scratch, length T.</param>
    /// <param name="candidateValues">Scratch, length T.</param>
    /// <param name="work">Scratch, length T.</param>
    /// <param name="spare">Scratch, length T.</param>
    /// <param name="top">Receives k+1 tokens; top[k] is the (k+1)-th best.</param>
    /// <param name="increments">Receives the bid on top[j] for j &lt; k: value − θ + ε.</param>
    public static void Select(
        ReadOnlySpan<float> scoreRow,
        ReadOnlySpan<float> cost,
        ReadOnlySpan<int> owners,
        int expert,
        ReadOnlySpan<int> pinnedTokens,
        ReadOnlySpan<float> pinnedValues,
        float epsilon,
        Span<int> candidateTokens,
        Span<float> candidateValues,
        Span<float> work,
        Span<float> spare,
        Span<int> top,
        Span<float> increments)
    {
        int m = top.Length;
        Span<float> sample = work[..Math.Min(SampleSize, work.Length)];
        int rank = SampleRank(scoreRow.Length, m);
        float bound = rank < 0 ? float.NegativeInfinity : Sample(scoreRow, cost, sample, rank);
        int count = Collect(scoreRow, cost, owners, expert, pinnedTokens, pinnedValues, bound, candidateTokens, candidateValues);
        if (count < m && rank >= 0)
        {
            // Rare: the sample overestimated. Try a bound twice as deep before taking everything.
            rank = 2 * rank + 1;
            bound = rank < SampleSize ? NthLargest(sample, rank) : float.NegativeInfinity;
            count = Collect(scoreRow, cost, owners, expert, pinnedTokens, pinnedValues, bound, candidateTokens, candidateValues);
            if (count < m)
                count = Collect(scoreRow, cost, owners, expert, pinnedTokens, pinnedValues, float.NegativeInfinity, candidateTokens, candidateValues);
        }

        ReadOnlySpan<int> tokens = candidateTokens[..count];
        ReadOnlySpan<float> values = candidateValues[..count];
        float theta = NthLargest(values, m - 1, work, spare);

        // Candidates are ordered pinned first, then by token index, so taking ties in candidate
        // order applies the tie-break.
        int above = 0;
        for (int i = 0; i < count; i++)
        {
            if (values[i] > theta)
            {
                increments[above] = values[i] - theta + epsilon;
                top[above++] = tokens[i];
            }
        }
        for (int i = 0; i < count && above < m; i++)
        {
            if (values[i] == theta)
            {
                if (above < m - 1)
                    increments[above] = epsilon;
                top[above++] = tokens[i];
            }
        }
    }

    /// <summary>
    /// Zero-based rank in a sample of <see cref="SampleSize"/> whose value about m plus a safety
    /// margin tokens reach, or -1 when sampling does not pay.
    /// </summary>
    private static int SampleRank(int n, int m)
    {
        if (n < 4 * SampleSize || m > n / 4)
            return -1;
        // Aim for m + 2√m + 16 candidates, plus 1.5 standard deviations of the sample rank.
        double expected = (m + 2 * Math.Sqrt(m) + 16) * SampleSize / n;
        int rank = (int)Math.Ceiling(expected + 1.5 * Math.Sqrt(expected));
        return rank < SampleSize ? rank : -1;
    }

    /// <summary>Fills <paramref name="sample"/> with every (n / SampleSize)-th value of the row and returns the value at <paramref name="rank"/>.</summary>
    private static float Sample(ReadOnlySpan<float> scoreRow, ReadOnlySpan<float> cost, Span<float> sample, int rank)
    {
        int stride = scoreRow.Length / sample.Length;
        for (int i = 0; i < sample.Length; i++)
            sample[i] = scoreRow[i * stride] - cost[i * stride];
        return NthLargest(sample, rank);
    }

    /// <summary>
    /// Writes the tokens whose value is at least <paramref name="bound"/>: the pinned ones first,
    /// then the others in index order. Returns how many.
    /// </summary>
    private static int Collect(
        ReadOnlySpan<float> scoreRow,
        ReadOnlySpan<float> cost,
        ReadOnlySpan<int> owners,
        int expert,
        ReadOnlySpan<int> pinnedTokens,
        ReadOnlySpan<float> pinnedValues,
        float bound,
        Span<int> tokens,
        Span<float> values)
    {
        int count = 0;
        for (int p = 0; p < pinnedTokens.Length; p++)
        {
            if (pinnedValues[p] >= bound)
            {
                tokens[count] = pinnedTokens[p];
                values[count++] = pinnedValues[p];
            }
        }

        int n = scoreRow.Length, t = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> limit = Vector256.Create(bound);
            for (; t <= n - Vector256<float>.Count; t += Vector256<float>.Count)
            {
                Vector256<float> v = Vector256.Create(scoreRow[t..]) - Vector256.Create(cost[t..]);
                uint mask = Vector256.GreaterThanOrEqual(v, limit).ExtractMostSignificantBits();
                while (mask != 0)
                {
                    int lane = BitOperations.TrailingZeroCount(mask);
                    mask &= mask - 1;
                    int token = t + lane;
                    if (owners[token] != expert)
                    {
                        tokens[count] = token;
                        values[count++] = v.GetElement(lane);
                    }
                }
            }
        }
        for (; t < n; t++)
        {
            float v = scoreRow[t] - cost[t];
            if (v >= bound && owners[t] != expert)
            {
                tokens[count] = t;
                values[count++] = v;
            }
        }
        return count;
    }

    /// <summary>Value at zero-based rank <paramref name="rank"/> of <paramref name="a"/> in descending order; reorders <paramref name="a"/>.</summary>
    internal static float NthLargest(Span<float> a, int rank)
    {
        int lo = 0, hi = a.Length - 1;
        // Quickselect is O(n) expected; past this many partitions sort what is left instead.
        int budget = 2 * (32 - BitOperations.LeadingZeroCount((uint)a.Length));
        while (hi - lo >= 16)
        {
            if (budget-- == 0)
            {
                a[lo..(hi + 1)].Sort(static (x, y) => y.CompareTo(x));
                return a[rank];
            }

            int mid = lo + ((hi - lo) >> 1);
            float pivot = MedianOfThree(a[lo], a[mid], a[hi]);
            int i = lo, j = hi;
            while (i <= j)
            {
                while (a[i] > pivot) i++;
                while (a[j] < pivot) j--;
                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }
            if (rank <= j) hi = j;
            else if (rank >= i) lo = i;
            else return a[rank];
        }
        InsertionSortDescending(a[lo..(hi + 1)]);
        return a[rank];
    }

    /// <summary>
    /// Value at zero-based rank <paramref name="rank"/> of <paramref name="values"/> in descending
    /// order, leaving <paramref name="values"/> intact. Branch-free three-way partitions that
    /// ping-pong between the two scratch buffers: the comparisons on fresh data are unpredictable.
    /// </summary>
    internal static float NthLargest(ReadOnlySpan<float> values, int rank, Span<float> scratch, Span<float> spare)
    {
        ReadOnlySpan<float> src = values;
        Span<float> dst = scratch;
        int budget = 2 * (32 - BitOperations.LeadingZeroCount((uint)values.Length));
        while (src.Length > 16)
        {
            if (budget-- == 0)
            {
                src.CopyTo(dst);
                return NthLargest(dst[..src.Length], rank);
            }

            int n = src.Length;
            float pivot = MedianOfThree(src[0], src[n >> 1], src[n - 1]);
            // Greater values fill dst from the front, smaller ones from the back; the slots
            // between the two ends are still free, so writing both ends every step is safe.
            int front = 0, back = n - 1;
            for (int i = 0; i < n; i++)
            {
                float x = src[i];
                dst[front] = x;
                dst[back] = x;
                front += x > pivot ? 1 : 0;
                back -= x < pivot ? 1 : 0;
            }
            if (rank < front)
            {
                src = dst[..front];
            }
            else if (rank > back)
            {
                src = dst[(back + 1)..n];
                rank -= back + 1;
            }
            else
            {
                return pivot;
            }
            Span<float> next = dst == scratch ? spare : scratch;
            dst = next;
        }
        src.CopyTo(dst);
        Span<float> rest = dst[..src.Length];
        InsertionSortDescending(rest);
        return rest[rank];
    }

    private static void InsertionSortDescending(Span<float> a)
    {
        for (int i = 1; i < a.Length; i++)
        {
            float x = a[i];
            int j = i - 1;
            while (j >= 0 && a[j] < x)
            {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = x;
        }
    }

    private static float MedianOfThree(float a, float b, float c) =>
        a < b ? (b < c ? b : Math.Max(a, c)) : (a < c ? a : Math.Max(b, c));
}
