namespace MoeGrains.Grains.Hosting;

/// <summary>Reminder storage (section <see cref="SectionName"/>).</summary>
public sealed class MoeGrainsReminderOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "MoeGrains:Reminders";

    /// <summary>Memory (default) or AzureTable.</summary>
    public ReminderStorageKind Provider { get; set; } = ReminderStorageKind.Memory;

    /// <summary>Azure Storage connection string (AzureTable); from configuration or secrets, never from files in the repo.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The reminders table (AzureTable).</summary>
    public string TableName { get; set; } = "MoeGrainsReminders";

    /// <summary>
    /// Orleans' shortest allowed reminder period. The default (one minute) suits production; tests lower it so a
    /// restarted cluster picks runs up quickly.
    /// </summary>
    public TimeSpan MinimumPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
