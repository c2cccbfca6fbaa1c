using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Training;
using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using MoeGrains.Model.Training;

namespace MoeGrains.Grains.Domains;

/// <summary>A domain expert's branch-training run in progress: the trainer, its batches and what it reports.</summary>
internal sealed class BranchRun(DomainExpertTrainingRequest request, BranchMode mode, Trainer trainer, BlockSampler sampler) : IDisposable
{
    public DomainExpertTrainingRequest Request { get; } = request;
    public BranchMode Mode { get; } = mode;
    public Trainer Trainer { get; } = trainer;
    public BlockSampler Sampler { get; } = sampler;
    public IGrainTimer? Timer { get; set; }
    public TrainingState State { get; set; } = TrainingState.Running;
    public long Step { get; set; }
    public double Loss { get; set; }
    public double TokensPerSecond { get; set; }
    public string? Error { get; set; }

    public void Dispose()
    {
        Timer?.Dispose();
        Trainer.Dispose();
    }
}
