namespace MoeGrains.Grains.Domains;

/// <summary>How domain-expert runs survive failures (section <see cref="SectionName"/>).</summary>
public sealed class DomainExpertOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "MoeGrains:DomainExperts";

    /// <summary>
    /// How often the mixture grain checks the experts it is waiting for. A check re-activates an expert whose silo died,
    /// on another expert silo, where it resumes from its last committed checkpoint.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Period of the reminders that re-activate a training expert and a waiting mixture after their silo (or the whole
    /// cluster) restarted. Orleans refuses periods under its <c>ReminderOptions.MinimumReminderPeriod</c>.
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Failed attempts in a row (a step, a checkpoint or a resume) before an expert's run fails.</summary>
    public int MaxConsecutiveFailures { get; set; } = 8;

    /// <summary>Back-off after the first failure; doubles with every further failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest back-off between attempts.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The back-off after <paramref name="failures"/> consecutive failures.</summary>
    public TimeSpan BackoffAfter(int failures) =>
        TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, InitialBackoff.Ticks * (1L << Math.Clamp(failures - 1, 0, 30))));
}
