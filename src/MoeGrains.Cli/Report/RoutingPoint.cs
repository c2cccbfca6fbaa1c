namespace MoeGrains.Cli.Report;

/// <summary>The routing of one sampled step.</summary>
/// <param name="Step">The model's step.</param>
/// <param name="ExpertTokens">Tokens per expert, [MoE layer][expert].</param>
/// <param name="OverflowPercent">Overflow per MoE layer.</param>
internal sealed record RoutingPoint(double Step, IReadOnlyList<IReadOnlyList<long>> ExpertTokens, IReadOnlyList<double> OverflowPercent);
