using MoeGrains.Model.Data;
using MoeGrains.Model.Training;
using Microsoft.Extensions.Logging;

namespace MoeGrains.Model.Domains;

/// <summary>
/// Phase 2 of DEMix / Branch-Train-Merge: one expert trains on its own domain's data alone — no communication with any
/// other expert, so any number of branches run concurrently and give exactly what they give one after another.
/// </summary>
public static class BranchTraining
{
    /// <summary>The learning-rate factor of an expert added to a trained mixture (DEMix adaptation).</summary>
    public const double AddedExpertLearningRateFactor = 0.1;

    /// <summary>
    /// Trains <paramref name="expert"/> on <paramref name="data"/> (its domain's training stream) for
    /// <see cref="TrainingOptions.Steps"/> steps: only its FFNs for <see cref="BranchMode.FeedForward"/>, everything for
    /// <see cref="BranchMode.AllParameters"/>; batches are drawn from <see cref="TrainingOptions.Seed"/>.
    /// </summary>
    /// <returns>Every step's metrics.</returns>
    public static List<StepMetrics> Train(DomainExpert expert, DomainTokenStream data, TrainingOptions options, BranchMode mode,
        Action<StepMetrics>? onStep = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expert);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var sampler = Sampler(data, expert.Model.Config.ContextLength, options.Seed);
        var metrics = new List<StepMetrics>();
        using var trainer = new Trainer(expert.Model, options with { Trainable = mode.Trainable() }, logger);
        trainer.Run(() => sampler.Next(options.BatchSize), step =>
        {
            metrics.Add(step);
            expert.Step++;
            onStep?.Invoke(step);
        }, cancellationToken);
        return metrics;
    }

    /// <summary>Trains every branch on its own task at once (each with the same options); returns each branch's metrics.</summary>
    public static async Task<IReadOnlyList<List<StepMetrics>>> TrainConcurrentlyAsync(
        IReadOnlyList<(DomainExpert Expert, DomainTokenStream Data)> branches, TrainingOptions options, BranchMode mode,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(branches);
        var tasks = branches.Select(branch => Task.Run(() => Train(branch.Expert, branch.Data, options, mode, cancellationToken: cancellationToken), cancellationToken));
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>A sampler over one domain's stream as domain 0 (the single expert of a domain expert).</summary>
    public static BlockSampler Sampler(DomainTokenStream data, int blockLength, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        var own = data.WithDomainId(0);
        return new BlockSampler([own], blockLength, seed);
    }

    /// <summary>
    /// <see cref="Sampler"/> positioned after <paramref name="stepsDone"/> batches of <paramref name="batchSize"/> blocks —
    /// the data position of a branch resumed from a checkpoint at that step (the draws are replayed, so it is exact).
    /// </summary>
    public static BlockSampler SamplerAt(DomainTokenStream data, int blockLength, int seed, int batchSize, long stepsDone)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepsDone);
        var sampler = Sampler(data, blockLength, seed);
        for (var i = 0L; i < stepsDone; i++) sampler.Next(batchSize).Dispose();
        return sampler;
    }
}
