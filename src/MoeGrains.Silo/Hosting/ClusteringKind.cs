namespace MoeGrains.Silo.Hosting;

/// <summary>Where silos find each other (the Orleans membership table).</summary>
public enum ClusteringKind
{
    /// <summary>One machine, no external store: <c>UseLocalhostClustering</c> (the default).</summary>
    Localhost,

    /// <summary>Azure Table Storage (Azurite locally): <c>UseAzureStorageClustering</c>.</summary>
    AzureStorage,

    /// <summary>Redis: <c>UseRedisClustering</c>.</summary>
    Redis,

    /// <summary>A relational database through ADO.NET (PostgreSQL by default): <c>UseAdoNetClustering</c>.</summary>
    AdoNet,
}
