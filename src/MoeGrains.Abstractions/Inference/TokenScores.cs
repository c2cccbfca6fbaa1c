namespace MoeGrains.Abstractions.Inference;

/// <summary>Per-token log-probabilities of one scored text.</summary>
/// <param name="TokenIds">The text's token ids.</param>
/// <param name="LogProbabilities">log P(token_i | tokens before it) for i ≥ 1 (the first token has no context), natural log.</param>
[GenerateSerializer, Immutable, Alias("moe.TokenScores")]
public sealed record TokenScores([property: Id(0)] IReadOnlyList<int> TokenIds, [property: Id(1)] IReadOnlyList<double> LogProbabilities);
