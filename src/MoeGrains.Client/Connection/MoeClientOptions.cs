namespace MoeGrains.Client.Connection;

/// <summary>Client-side settings, bound from <c>MoeGrains:Client</c>.</summary>
public sealed class MoeClientOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "MoeGrains:Client";

    /// <summary>The cluster and service id used when <c>Orleans:ClusterId</c> / <c>Orleans:ServiceId</c> are not set (as the silo host).</summary>
    public const string DefaultClusterId = "moegrains";

    /// <summary>
    /// How long a grain call may take before the client gives up (Orleans: 30 s). Default 10 minutes: an evaluation of a
    /// large split or the creation of a model that loads every expert is one call.
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long connecting may take before <see cref="ClusterConnectionException"/> (Orleans itself retries for minutes). Default 30 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gateways (<c>address:port,…</c>) to use instead of the membership store of <c>MoeGrains:Silo:Clustering</c>.</summary>
    public string? Gateways { get; set; }
}
