namespace MoeGrains.Grains.Hosting;

/// <summary>Where the cluster keeps reminders (which re-activate pipeline runs after restarts).</summary>
public enum ReminderStorageKind
{
    /// <summary>In the silos' memory: the embedded default; reminders die with the cluster.</summary>
    Memory,

    /// <summary>An Azure Storage table (Azurite locally): reminders survive whole-cluster restarts.</summary>
    AzureTable,
}
