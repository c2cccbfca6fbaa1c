namespace MoeGrains.Model.Training;

/// <summary>Linear warm-up to the peak, then cosine decay to a floor at the last step.</summary>
public sealed class LearningRateSchedule(double peak, int warmupSteps, int totalSteps, double minRatio)
{
    /// <summary>The learning rate for step <paramref name="step"/> (0-based).</summary>
    public double At(int step)
    {
        if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
        var decaySteps = Math.Max(1, totalSteps - warmupSteps);
        var progress = Math.Clamp((double)(step - warmupSteps) / decaySteps, 0, 1);
        var floor = peak * minRatio;
        return floor + (peak - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
