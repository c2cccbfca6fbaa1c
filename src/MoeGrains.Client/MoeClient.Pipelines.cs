using System.Globalization;
using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Pipelines;

namespace MoeGrains.Client;

public sealed partial class MoeClient
{
    /// <summary>
    /// Uploads the pipeline's datasets (only the domains each lists) and submits the run to the cluster, which carries it
    /// to the end by itself; the handle observes, cancels or resumes it.
    /// </summary>
    /// <param name="definition">A validated pipeline (see <c>MoeGrains.Pipelines.PipelineFile</c>).</param>
    /// <param name="runId">The run's id; default <c>{pipeline}-{UTC time}</c>.</param>
    /// <param name="cancellationToken">Cancels the upload; a submitted run is not affected.</param>
    /// <exception cref="ArgumentException">The run id is invalid or taken, or a dataset folder cannot be uploaded.</exception>
    public async Task<PipelineRunHandle> RunPipelineAsync(PipelineDefinition definition, string? runId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        runId ??= $"{definition.Name}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}".ToLowerInvariant();
        ModelNames.Validate(runId);
        foreach (var dataset in definition.Datasets)
            await UploadDatasetAsync(dataset.Name, dataset.Path, dataset.Domains, cancellationToken);
        var run = cluster.GetGrain<IPipelineRunGrain>(runId);
        await run.StartAsync(definition);
        logger.LogInformation("Submitted pipeline run {Run} ({Pipeline}, {Stages} stages)", runId, definition.Name, definition.Stages.Count);
        return new PipelineRunHandle(runId, run);
    }

    /// <summary>A handle on an existing run.</summary>
    public PipelineRunHandle GetPipelineRun(string runId)
    {
        ModelNames.Validate(runId);
        return new PipelineRunHandle(runId, cluster.GetGrain<IPipelineRunGrain>(runId));
    }

    /// <summary>The status of every run the cluster knows, oldest first.</summary>
    public async Task<IReadOnlyList<PipelineRunStatus>> ListPipelineRunsAsync()
    {
        var ids = await cluster.GetGrain<IPipelineRunRegistryGrain>(IPipelineRunRegistryGrain.Key).ListAsync();
        return await Task.WhenAll(ids.Select(id => cluster.GetGrain<IPipelineRunGrain>(id).GetStatusAsync()));
    }
}
