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
    public static RoutingSample Sample(long runStep, StepMetrics metrics) => new(
        runStep,
        [.. metrics.Layers.SelectMany(layer => layer.ExpertTokens)],
        [.. metrics.Layers.Select(layer => layer.OverflowPercent)]);

    /// <summary>Moves the state's current run (if any) into its past runs, keeping the latest <see cref="MaxRuns"/>.</summary>
    public static void ArchiveCurrentRun(RouterState state)
    {
        if (state.Run is null) return;
        state.PastRuns.Add(CurrentRun(state, state.RunLosses, state.RunRouting));
        if (state.PastRuns.Count > MaxRuns) state.PastRuns.RemoveRange(0, state.PastRuns.Count - MaxRuns);
    }

    /// <summary>The state's current run with the given losses and routing samples.</summary>
    public static RunHistory CurrentRun(RouterState state, IReadOnlyList<double> losses, IReadOnlyList<RoutingSample> routing) =>
        new(Math.Max(1, state.RunCount), state.RunStartStep, state.RunState, [.. losses], [.. routing]);
}
