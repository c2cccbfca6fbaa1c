using MoeGrains.Abstractions.Training;

namespace MoeGrains.Grains.Routers;

/// <summary>A finished run as the router stores it; <see cref="RunHistory"/> is its wire form.</summary>
[GenerateSerializer, Alias("moe.RunRecord")]
public sealed class RunRecord
{
    /// <summary>1-based run number.</summary>
    [Id(0)] public int Run { get; set; }

    /// <summary>The model's step when the run started.</summary>
    [Id(1)] public long StartStep { get; set; }

    /// <summary>How the run ended.</summary>
    [Id(2)] public TrainingState State { get; set; }

    /// <summary>Every step's loss, as committed.</summary>
    [Id(3)] public List<double> Losses { get; set; } = [];

    /// <summary>The sampled routing, as committed.</summary>
    [Id(4)] public List<RoutingRecord> Routing { get; set; } = [];
}
