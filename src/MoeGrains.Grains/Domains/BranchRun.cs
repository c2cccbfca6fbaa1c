using MoeGrains.Abstractions.Domains;
using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using MoeGrains.Model.Training;

namespace MoeGrains.Grains.Domains;

/// <summary>A domain expert's branch-training run in memory: the expert being trained, its trainer and batches, and what it reports.</summary>
internal sealed class BranchRun(DomainExpertTrainingRequest request, BranchMode mode, DomainExpert expert, Trainer trainer, BlockSampler sampler) : IDisposable
{
    public DomainExpertTrainingRequest Request { get; } = request;
    public BranchMode Mode { get; } = mode;
    public DomainExpert Expert { get; } = expert;
    public Trainer Trainer { get; } = trainer;
    public BlockSampler Sampler { get; } = sampler;
    public long Step { get; set; }
    public double Loss { get; set; }
    public double TokensPerSecond { get; set; }

    public void Dispose()
    {
        Trainer.Dispose();
        Expert.Dispose();
    }
}
