namespace MoeGrains.Cluster.Benchmarks;

/// <summary>The environment every benchmark silo process shares: its cluster, CPU experts, a local checkpoint store, quiet logs.</summary>
internal static class SiloEnvironment
{
    public static Dictionary<string, string> Common(string clusterId, string storeRoot) => new()
    {
        ["Orleans__ClusterId"] = clusterId,
        ["Orleans__ServiceId"] = clusterId,
        ["MoeGrains__Accelerator__Accelerator"] = "cpu",
        ["MoeGrains__Accelerator__Devices"] = "1",
        ["MoeGrains__Checkpoints__Kind"] = "Local",
        ["MoeGrains__Checkpoints__LocalRoot"] = storeRoot,
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__MoeGrains"] = "Warning",
        ["Logging__LogLevel__Orleans.Hosting"] = "Warning",
    };

    /// <summary><paramref name="settings"/> with membership in Azure Storage tables (Azurite).</summary>
    public static Dictionary<string, string> WithTableClustering(this Dictionary<string, string> settings, string connectionString)
    {
        settings["MoeGrains__Silo__Clustering"] = "AzureStorage";
        settings["MoeGrains__Silo__ConnectionString"] = connectionString;
        return settings;
    }

    /// <summary>Waits until <paramref name="count"/> expert silos (with slots, not draining) are in the cluster.</summary>
    public static async Task WaitForExpertSilosAsync(MoeGrains.Client.MoeClient client, int count)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await client.ListSilosAsync()).Count(s => s.ExpertSlots > 0 && !s.Draining) >= count) return;
            }
            catch (Exception) when (clock.Elapsed < TimeSpan.FromSeconds(90))
            {
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(90)) throw new TimeoutException($"{count} expert silos did not join within 90 s.");
            await Task.Delay(200);
        }
    }
}
