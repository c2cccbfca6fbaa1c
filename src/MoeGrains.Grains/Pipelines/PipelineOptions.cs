namespace MoeGrains.Grains.Pipelines;

/// <summary>How pipeline runs retry and how often they are driven (section <see cref="SectionName"/>).</summary>
public sealed class PipelineOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "MoeGrains:Pipelines";

    /// <summary>Attempts of a stage before the run stops with its error.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Back-off after the first failure; doubles with every further failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest back-off between attempts.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often an active run grain advances its stage.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Period of the reminder that re-activates a run after its silo (or the whole cluster) restarted. Orleans refuses
    /// periods under its <c>ReminderOptions.MinimumReminderPeriod</c> (one minute unless configured).
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The back-off after <paramref name="failures"/> consecutive failures.</summary>
    public TimeSpan BackoffAfter(int failures) =>
        TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, InitialBackoff.Ticks * (1L << Math.Clamp(failures - 1, 0, 30))));
}
