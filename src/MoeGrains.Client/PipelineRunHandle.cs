using System.Runtime.CompilerServices;
using MoeGrains.Abstractions.Pipelines;

namespace MoeGrains.Client;

/// <summary>A pipeline run in the cluster: observe it, wait for it, cancel or resume it.</summary>
public sealed class PipelineRunHandle
{
    private readonly IPipelineRunGrain run;

    internal PipelineRunHandle(string runId, IPipelineRunGrain run)
    {
        RunId = runId;
        this.run = run;
    }

    /// <summary>The run's id.</summary>
    public string RunId { get; }

    /// <summary>The run's current status; <see cref="ArgumentException"/> for an unknown run.</summary>
    public Task<PipelineRunStatus> GetStatusAsync() => run.GetStatusAsync();

    /// <summary>Stops the run after the turn in progress.</summary>
    public Task<PipelineRunStatus> CancelAsync() => run.CancelAsync();

    /// <summary>Continues a failed or cancelled run from its current stage.</summary>
    public Task<PipelineRunStatus> ResumeAsync() => run.ResumeAsync();

    /// <summary>Yields a status every <paramref name="interval"/> until the run is no longer running (the last one is final).</summary>
    public async IAsyncEnumerable<PipelineRunStatus> WatchAsync(TimeSpan? interval = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var delay = interval ?? TimeSpan.FromMilliseconds(500);
        while (true)
        {
            var status = await run.GetStatusAsync();
            yield return status;
            if (status.State != PipelineRunState.Running) yield break;
            await Task.Delay(delay, cancellationToken);
        }
    }

    /// <summary>Waits until the run is no longer running and returns its final status (completed, failed or cancelled).</summary>
    public async Task<PipelineRunStatus> WaitAsync(TimeSpan? interval = null, CancellationToken cancellationToken = default)
    {
        PipelineRunStatus? last = null;
        await foreach (var status in WatchAsync(interval, cancellationToken)) last = status;
        return last!;
    }
}
