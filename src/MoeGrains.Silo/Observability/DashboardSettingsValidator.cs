using System.Net;
using Microsoft.Extensions.Options;

namespace MoeGrains.Silo.Observability;

/// <summary>Checks the dashboard's address and port; every failure names its key.</summary>
public sealed class DashboardSettingsValidator : IValidateOptions<DashboardSettings>
{
    private const string Section = DashboardSettings.SectionName;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DashboardSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled) return ValidateOptionsResult.Success;
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.Address, out _))
            failures.Add($"{Section}:Address='{options.Address}' is not an IP address (127.0.0.1 for this machine only).");
        if (options.Port is < 0 or > 65535)
            failures.Add($"{Section}:Port={options.Port} but a port is 0 (do not serve the UI here) to 65535.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
