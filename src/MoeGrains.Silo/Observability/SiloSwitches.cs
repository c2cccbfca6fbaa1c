namespace MoeGrains.Silo.Observability;

/// <summary>Command-line switches of <c>moe-silo</c> that are not <c>--Key=Value</c> configuration.</summary>
public static class SiloSwitches
{
    /// <summary>Turns the Orleans Dashboard on (UI on 127.0.0.1:8080 unless <c>MoeGrains:Dashboard:Address/Port</c> say otherwise).</summary>
    public const string Dashboard = "--dashboard";

    /// <summary>
    /// Rewrites the switches into configuration arguments (<c>--dashboard</c> → <c>--MoeGrains:Dashboard:Enabled=true</c>);
    /// a bare switch would otherwise swallow the next argument as its value.
    /// </summary>
    public static string[] Translate(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return [.. args.Select(arg => string.Equals(arg, Dashboard, StringComparison.OrdinalIgnoreCase)
            ? $"--{DashboardSettings.SectionName}:Enabled=true"
            : arg)];
    }
}
