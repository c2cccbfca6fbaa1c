namespace MoeGrains.Model.Scoring;

/// <summary>One sequence to score: the log-probability of each <paramref name="Continuation"/> token given <paramref name="Context"/> and the continuation tokens before it.</summary>
/// <param name="Context">Conditioning token ids (at least one); left-truncated by the scorer when context + continuation does not fit the window.</param>
/// <param name="Continuation">The token ids to score (at least one).</param>
public sealed record ContinuationRequest(IReadOnlyList<int> Context, IReadOnlyList<int> Continuation);
