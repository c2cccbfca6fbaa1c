using System.Runtime.Intrinsics;

namespace MoeGrains.Model.Routing;

/// <summary>
/// Balanced token-to-expert assignment (BASE layers) solved with an auction algorithm, as fairseq's
/// balanced_assignment does: every expert receives exactly tokens / experts tokens.
/// </summary>
/// <remarks>
/// <para>
/// With S the scores as [experts × tokens], k = T / E and ε = max((max S − min S) / 50, 1e-4), each
/// round every expert takes its k + 1 best tokens by value (initially S) and bids on the best k the
/// value above the (k+1)-th plus ε. For rounds 1–99 the previous round's winners also bid ε on the
/// tokens they won, overwriting their own bid there. Each token goes to its highest bidder. When
/// every token has a bid the experts' top-k sets are disjoint and are the answer; otherwise each
/// bid token's cost rises by its winning bid, value becomes S − cost, and the winner's entry is
/// pinned to max S (rounds 0–99, keeping the token in its top-k) or reset to S (from round 100, an
/// approximation that converges quickly). On continuous scores the result is within T·ε of the
/// optimum in practice; it is not guaranteed: a retained token's cost rises by ε each round while
/// its pinned owner never re-prices it, so heavy ties can end a few points short, as in fairseq.
/// </para>
/// <para>
/// Ties break deterministically: higher value first, then the expert's own pinned tokens, then the
/// lower token index; equal bids go to the lower expert. Should the auction not finish within
/// 1000 rounds, the remaining tokens are assigned greedily, so the call always terminates with an
/// exactly balanced result.
/// </para>
/// </remarks>
public static class BalancedAssignment
{
    /// <summary>Assigns every token to one expert so that every expert receives tokens / experts tokens.</summary>
    /// <param name="scores">Row-major [tokens × experts] affinities; must be finite.</param>
    /// <param name="tokens">Number of tokens T.</param>
    /// <param name="experts">Number of experts E; must divide T.</param>
    /// <returns>The expert of each token.</returns>
    /// <exception cref="ArgumentException">
    /// Sizes are not positive, T % E != 0, scores.Length != T · E, or a score is NaN or infinite.
    /// </exception>
    public static int[] Solve(ReadOnlySpan<float> scores, int tokens, int experts)
    {
        if (tokens <= 0)
            throw new ArgumentException($"tokens must be positive, got {tokens}.", nameof(tokens));
        if (experts <= 0)
            throw new ArgumentException($"experts must be positive, got {experts}.", nameof(experts));
        if (tokens % experts != 0)
            throw new ArgumentException(
                $"tokens ({tokens}) must be a multiple of experts ({experts}) for a balanced assignment.", nameof(tokens));
        if (scores.Length != (long)tokens * experts)
            throw new ArgumentException(
                $"scores length {scores.Length} does not match tokens × experts = {tokens} × {experts} = {(long)tokens * experts}.",
                nameof(scores));
        int bad = FirstNonFinite(scores);
        if (bad >= 0)
            throw new ArgumentException(
                $"scores must be finite; scores[{bad}] (token {bad / experts}, expert {bad % experts}) is {scores[bad]}.",
                nameof(scores));

        var assignment = new int[tokens];
        if (experts > 1)
            BalancedAuction.Run(scores, tokens, experts, BalancedAuction.DefaultMaxRounds, assignment, out _);
        return assignment;
    }

    private static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // x − x is 0 for finite x and NaN for NaN and ±∞.
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> v = Vector256.Create(values[i..]);
                if (!Vector256.EqualsAll(v - v, Vector256<float>.Zero))
                    break;
            }
        }
        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                return i;
        }
        return -1;
    }
}
