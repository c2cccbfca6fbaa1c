namespace MoeGrains.Model.Training;

/// <summary>Settings of a training run.</summary>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="BatchSize">Blocks per step.</param>
/// <param name="LearningRate">Peak learning rate (AdamW).</param>
/// <param name="WarmupSteps">Linear warm-up steps; null ⇒ 5% of the steps (at least 1).</param>
/// <param name="MinLearningRateRatio">The cosine decay ends at this fraction of the peak.</param>
/// <param name="WeightDecay">Decoupled weight decay on matrices (not on biases, norms or embeddings).</param>
/// <param name="ClipNorm">Global gradient-norm clipping threshold; 0 disables it.</param>
/// <param name="Seed">Seeds weight init, routing randomness and batch sampling.</param>
/// <param name="LogEvery">Steps between metrics records.</param>
/// <param name="Trainable">
/// Which parameters the run updates; the others are frozen (no gradient, no optimizer state, bit-identical afterwards).
/// </param>
public sealed record TrainingOptions(
    int Steps,
    int BatchSize = 16,
    double LearningRate = 3e-3,
    int? WarmupSteps = null,
    double MinLearningRateRatio = 0.1,
    double WeightDecay = 0.1,
    double ClipNorm = 1.0,
    int Seed = 1234,
    int LogEvery = 10,
    TrainableParameters Trainable = TrainableParameters.All)
{
    /// <summary>The warm-up length actually used.</summary>
    public int EffectiveWarmupSteps => WarmupSteps ?? Math.Max(1, Steps / 20);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public TrainingOptions Validate()
    {
        if (Steps <= 0) throw new ArgumentException($"Steps must be positive (got {Steps}).");
        if (BatchSize <= 0) throw new ArgumentException($"Batch size must be positive (got {BatchSize}).");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"Learning rate must be a positive number (got {LearningRate}).");
        if (EffectiveWarmupSteps < 0) throw new ArgumentException($"Warm-up steps must not be negative (got {WarmupSteps}).");
        if (MinLearningRateRatio is < 0 or > 1) throw new ArgumentException($"MinLearningRateRatio must be in [0, 1] (got {MinLearningRateRatio}).");
        if (ClipNorm < 0) throw new ArgumentException($"ClipNorm must not be negative (got {ClipNorm}).");
        if (LogEvery <= 0) throw new ArgumentException($"LogEvery must be positive (got {LogEvery}).");
        if (!Enum.IsDefined(Trainable)) throw new ArgumentException($"Unknown trainable-parameter selection {Trainable}.");
        return this;
    }
}
