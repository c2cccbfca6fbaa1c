namespace MoeGrains.Silo.Hosting;

/// <summary>How the silo host joins its cluster: membership store and ports. Bound from <c>MoeGrains:Silo</c>.</summary>
/// <remarks>The cluster and service ids are Orleans' own keys <c>Orleans:ClusterId</c> and <c>Orleans:ServiceId</c> (default <see cref="DefaultClusterId"/>).</remarks>
public sealed class MoeGrainsSiloOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "MoeGrains:Silo";

    /// <summary>The cluster and service id used when <c>Orleans:ClusterId</c> / <c>Orleans:ServiceId</c> are not set.</summary>
    public const string DefaultClusterId = "moegrains";

    /// <summary>The ADO.NET invariant for PostgreSQL.</summary>
    public const string PostgreSqlInvariant = "Npgsql";

    /// <summary><c>Localhost</c> (default), <c>AzureStorage</c>, <c>Redis</c> or <c>AdoNet</c>.</summary>
    public ClusteringKind Clustering { get; set; } = ClusteringKind.Localhost;

    /// <summary>
    /// The membership store's connection string; required for every clustering but <c>Localhost</c>, except that
    /// <c>AzureStorage</c> may use <see cref="AccountUrl"/> instead.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// For <c>AzureStorage</c>: the table service URL (<c>https://account.table.core.windows.net</c>), authenticated with
    /// <c>DefaultAzureCredential</c> (workload identity, managed identity, environment or Azure CLI) instead of a connection string.
    /// </summary>
    public Uri? AccountUrl { get; set; }

    /// <summary>Orleans Kubernetes hosting (<c>UseKubernetesHosting</c>): pod name, cluster ids from pod labels, defunct-pod cleanup.</summary>
    public bool KubernetesHosting { get; set; }

    /// <summary>For <c>AdoNet</c>: the ADO.NET provider invariant (default <c>Npgsql</c>, PostgreSQL).</summary>
    public string AdoNetInvariant { get; set; } = PostgreSqlInvariant;

    /// <summary>The silo-to-silo port (default 11111).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The client gateway port (default 30000); 0 for a silo that accepts no clients.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// For <c>Localhost</c> clustering: the silo endpoint (<c>127.0.0.1:11111</c>) of the primary silo that every other silo
    /// joins through. Unset makes this silo its own primary (a single-silo cluster, or the first silo of several).
    /// </summary>
    public string? PrimarySiloEndpoint { get; set; }

    /// <summary>The address other silos reach this one at; unset means this host's first IPv4 address (loopback for <c>Localhost</c>).</summary>
    public string? AdvertisedIPAddress { get; set; }
}
