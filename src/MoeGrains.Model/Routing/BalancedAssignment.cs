namespace MoeGrains.Model.Routing;

/// <summary>
/// Balanced token-to-expert assignment (BASE layers) solved with an auction algorithm, as fairseq's
/// balanced_assignment does: every expert receives exactly tokens / experts tokens.
/// </summary>
public static class BalancedAssignment
{
    /// <summary>Assigns every token to one expert so that every expert receives tokens / experts tokens.</summary>
    /// <param name="scores">Row-major [tokens × experts] affinities.</param>
    /// <param name="tokens">Number of tokens T.</param>
    /// <param name="experts">Number of experts E; must divide T.</param>
    /// <returns>The expert of each token.</returns>
    /// <exception cref="ArgumentException">Sizes are not positive, T % E != 0, or scores.Length != T · E.</exception>
    public static int[] Solve(ReadOnlySpan<float> scores, int tokens, int experts) =>
        throw new NotImplementedException("BalancedAssignment.Solve is being written.");
}
