using MoeGrains.Abstractions.Training;
using MoeGrains.Model.Training;

namespace MoeGrains.Grains.Routers;

/// <summary>
/// The bounded training history a router keeps in its state for reports: every run's losses and the per-expert routing
/// of every k-th step, k chosen so that a run keeps at most <see cref="MaxSamplesPerRun"/> samples.
/// </summary>
internal static class RouterHistory
{
    /// <summary>Finished runs kept; older ones are forgotten.</summary>
    public const int MaxRuns = 32;

    /// <summary>Routing samples kept per run.</summary>
    public const int MaxSamplesPerRun = 200;

    /// <summary>The sampling interval of a run of <paramref name="steps"/> steps.</summary>
    public static int SampleEvery(int steps) => Math.Max(1, (steps + MaxSamplesPerRun - 1) / MaxSamplesPerRun);

    /// <summary>Whether run step <paramref name="runStep"/> (1-based) of a run of <paramref name="steps"/> steps is sampled: every k-th and the last.</summary>
    public static bool IsSampled(long runStep, int steps) => runStep % SampleEvery(steps) == 0 || runStep == steps;

    /// <summary>The sample of one step: per-expert tokens layer-major and overflow per layer.</summary>
    public static RoutingRecord Sample(long runStep, StepMetrics metrics) => new()
    {
        Step = runStep,
        ExpertTokens = [.. metrics.Layers.SelectMany(layer => layer.ExpertTokens)],
        OverflowPercent = [.. metrics.Layers.Select(layer => layer.OverflowPercent)],
    };

    /// <summary>
    /// Moves the state's current run into its past runs, keeping the latest <see cref="MaxRuns"/>; a run that committed no
    /// step (none started, or one that failed to start) is not kept.
    /// </summary>
    public static void ArchiveCurrentRun(RouterState state)
    {
        if (state.Run is null || state.RunLosses.Count == 0) return;
        state.PastRuns.Add(new RunRecord
        {
            Run = Math.Max(1, state.RunCount),
            StartStep = state.RunStartStep,
            State = state.RunState,
            Losses = [.. state.RunLosses],
            Routing = [.. state.RunRouting],
        });
        if (state.PastRuns.Count > MaxRuns) state.PastRuns.RemoveRange(0, state.PastRuns.Count - MaxRuns);
    }

    /// <summary>The wire form of a stored run.</summary>
    public static RunHistory ToWire(RunRecord run) => new(run.Run, run.StartStep, run.State, [.. run.Losses], [.. run.Routing.Select(ToWire)]);

    /// <summary>The wire form of the state's current run with the given losses and routing samples.</summary>
    public static RunHistory CurrentRun(RouterState state, IReadOnlyList<double> losses, IReadOnlyList<RoutingRecord> routing) =>
        new(Math.Max(1, state.RunCount), state.RunStartStep, state.RunState, [.. losses], [.. routing.Select(ToWire)]);

    private static RoutingSample ToWire(RoutingRecord sample) => new(sample.Step, [.. sample.ExpertTokens], [.. sample.OverflowPercent]);
}
