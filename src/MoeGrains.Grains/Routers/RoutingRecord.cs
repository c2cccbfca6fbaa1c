namespace MoeGrains.Grains.Routers;

/// <summary>
/// A sampled step's routing as the router stores it (concrete lists, so JSON grain storage writes no type names);
/// <see cref="Abstractions.Training.RoutingSample"/> is its wire form.
/// </summary>
[GenerateSerializer, Alias("moe.RoutingRecord")]
public sealed class RoutingRecord
{
    /// <summary>The step within its run (1-based).</summary>
    [Id(0)] public long Step { get; set; }

    /// <summary>Tokens per expert, layer-major.</summary>
    [Id(1)] public List<long> ExpertTokens { get; set; } = [];

    /// <summary>Overflow per MoE layer.</summary>
    [Id(2)] public List<double> OverflowPercent { get; set; } = [];
}
