using System.Net;
using Microsoft.Extensions.Options;

namespace MoeGrains.Silo.Hosting;

/// <summary>Checks the health endpoint's port and address.</summary>
public sealed class HealthEndpointOptionsValidator : IValidateOptions<HealthEndpointOptions>
{
    private const string Section = HealthEndpointOptions.SectionName;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HealthEndpointOptions options)
    {
        var failures = new List<string>();
        if (options.Port is < 0 or > 65535)
            failures.Add($"{Section}:Port={options.Port} but a port is 0 (off) to 65535.");
        if (options.Address is not ("*" or "+" or "localhost") && !IPAddress.TryParse(options.Address, out _))
            failures.Add($"{Section}:Address='{options.Address}' is not an IP address, localhost or * (every interface).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
