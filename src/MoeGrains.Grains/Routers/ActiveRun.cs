using MoeGrains.Abstractions.Training;
using MoeGrains.Model.Data;
using MoeGrains.Model.Training;

namespace MoeGrains.Grains.Routers;

/// <summary>The in-memory side of a training run the router is driving: data, sampler position, recent metrics.</summary>
internal sealed class ActiveRun(TrainingRequest request, TokenizedSplit train, int blockLength)
{
    public TrainingRequest Request { get; } = request;

    public TrainingOptions Options { get; } = new(request.Steps, request.BatchSize, request.LearningRate, Seed: request.Seed);

    public BlockSampler Sampler { get; private set; } = new(train, blockLength, request.Seed);

    public List<double> Losses { get; } = [];

    /// <summary>Sampled routing of this run's steps (see <see cref="RouterHistory"/>).</summary>
    public List<RoutingRecord> Routing { get; } = [];

    public double TokensPerSecond { get; set; }

    public bool CancelRequested { get; set; }

    public bool CheckpointDue { get; set; }

    public bool RollbackDue { get; set; }

    public int ConsecutiveFailures { get; set; }

    public int Restarts { get; set; }

    public DateTime RetryAfter { get; set; } = DateTime.MinValue;

    /// <summary>When the current storage outage began; null while the store answers.</summary>
    public DateTime? StorageOutageSince { get; set; }

    /// <summary>Failed attempts in the current storage outage (drives the back-off).</summary>
    public int StorageFailures { get; set; }

    public string? LastError { get; set; }

    public IDisposable? Timer { get; set; }

    /// <summary>Recreates the sampler positioned after <paramref name="stepsDone"/> batches, so a resumed run sees the same data.</summary>
    public void RewindTo(long stepsDone)
    {
        Sampler = new BlockSampler(train, blockLength, Request.Seed);
        for (var i = 0; i < stepsDone; i++) Sampler.Next(Request.BatchSize).Dispose();
        if (Losses.Count > stepsDone) Losses.RemoveRange((int)stepsDone, Losses.Count - (int)stepsDone);
        Routing.RemoveAll(sample => sample.Step > stepsDone);
    }
}
