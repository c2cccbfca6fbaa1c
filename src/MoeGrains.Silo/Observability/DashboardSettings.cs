namespace MoeGrains.Silo.Observability;

/// <summary>
/// The Orleans Dashboard on this silo: <see cref="Enabled"/> collects grain and silo statistics (every silo of the
/// cluster should have it), and a non-zero <see cref="Port"/> also serves the dashboard's web UI and JSON API.
/// Bound from <see cref="SectionName"/>; <c>moe-silo --dashboard</c> sets <c>Enabled</c>.
/// </summary>
/// <remarks>The dashboard has no authentication of its own: keep it on loopback, or put it behind an authenticating proxy.</remarks>
public sealed class DashboardSettings
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "MoeGrains:Dashboard";

    /// <summary>The default web port.</summary>
    public const int DefaultPort = 8080;

    /// <summary>Run the dashboard (default false).</summary>
    public bool Enabled { get; set; }

    /// <summary>The address the web UI listens on (default <c>127.0.0.1</c>, this machine only).</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>The web UI's port (default 8080); 0 collects statistics for the cluster's dashboard without serving one here.</summary>
    public int Port { get; set; } = DefaultPort;
}
