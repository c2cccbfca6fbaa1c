namespace MoeGrains.Silo.Hosting;

/// <summary>
/// The HTTP health endpoint for probes (<c>GET /healthz/live</c>, <c>GET /healthz/ready</c>). Bound from
/// <c>MoeGrains:Health</c>; off unless <see cref="Port"/> is set, and on loopback unless <see cref="Address"/> says otherwise.
/// </summary>
public sealed class HealthEndpointOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "MoeGrains:Health";

    /// <summary>The port (0, the default, turns the endpoint off).</summary>
    public int Port { get; set; }

    /// <summary>The address to listen on: <c>127.0.0.1</c> (default), or <c>*</c> for every interface (Kubernetes probes reach the pod IP).</summary>
    public string Address { get; set; } = "127.0.0.1";
}
