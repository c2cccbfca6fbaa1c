using MoeGrains.Abstractions.Training;

namespace MoeGrains.Grains.Routers;

/// <summary>What a router keeps in grain storage: a pointer into the checkpoint store and its training run, never weights.</summary>
[GenerateSerializer, Alias("moe.RouterState")]
public sealed class RouterState
{
    /// <summary>The model configuration (JSON), set at creation.</summary>
    [Id(0)] public string? ConfigJson { get; set; }

    /// <summary>Latest committed checkpoint version.</summary>
    [Id(1)] public int Version { get; set; }

    /// <summary>Training steps of that version.</summary>
    [Id(2)] public long Step { get; set; }

    /// <summary>The current or last training run, if any.</summary>
    [Id(3)] public TrainingRequest? Run { get; set; }

    /// <summary>The model step at which that run started.</summary>
    [Id(4)] public long RunStartStep { get; set; }

    /// <summary>Where the run is.</summary>
    [Id(5)] public TrainingState RunState { get; set; }

    /// <summary>What stopped a failed run.</summary>
    [Id(6)] public string? RunError { get; set; }

    /// <summary>The run's losses up to the latest committed checkpoint, so a reactivated router reports the whole run.</summary>
    [Id(7)] public List<double> RunLosses { get; set; } = [];

    /// <summary>The run's sampled routing up to the latest committed checkpoint (see <see cref="RouterHistory"/>).</summary>
    [Id(8)] public List<RoutingRecord> RunRouting { get; set; } = [];

    /// <summary>Runs started on this model so far; the current run's number.</summary>
    [Id(9)] public int RunCount { get; set; }

    /// <summary>Earlier runs, oldest first (at most <see cref="RouterHistory.MaxRuns"/>).</summary>
    [Id(10)] public List<RunRecord> PastRuns { get; set; } = [];
}
