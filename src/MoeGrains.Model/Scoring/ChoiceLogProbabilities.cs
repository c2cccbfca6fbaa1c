namespace MoeGrains.Model.Scoring;

/// <summary>The per-token log-probabilities of one choice that the methods combine; a part is null when no requested method needs it.</summary>
/// <param name="Direct">log P(y | x) per token of y.</param>
/// <param name="NullContext">log P(y | ":") per token of y (pmi).</param>
/// <param name="DomainPremise">log P(y | x_d) per token of y (pmi-dc, domain-cond).</param>
/// <param name="Calibration">log P(y | "N/A") per token of y (direct++).</param>
/// <param name="Channel">log P(" " + x | y) per token of x (channel).</param>
public sealed record ChoiceLogProbabilities(double[] Direct, double[]? NullContext, double[]? DomainPremise, double[]? Calibration, double[]? Channel);
