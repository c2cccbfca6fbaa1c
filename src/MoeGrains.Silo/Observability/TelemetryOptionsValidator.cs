using System.Net;
using Microsoft.Extensions.Options;

namespace MoeGrains.Silo.Observability;

/// <summary>Checks the exporters' endpoint, address, port, path and interval; every failure names its key.</summary>
public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    private const string Section = TelemetryOptions.SectionName;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.ExportInterval <= TimeSpan.Zero)
            failures.Add($"{Section}:ExportInterval={options.ExportInterval} but it must be positive (e.g. 00:00:10).");
        if (options.Otlp.Enabled && (!Uri.TryCreate(options.Otlp.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https")))
            failures.Add($"{Section}:Otlp:Endpoint='{options.Otlp.Endpoint}' is not an http(s) URL such as http://127.0.0.1:4317.");
        var prometheus = options.Prometheus;
        if (prometheus.Enabled)
        {
            if (!IPAddress.TryParse(prometheus.Address, out var address))
                failures.Add($"{Section}:Prometheus:Address='{prometheus.Address}' is not an IP address (127.0.0.1 for this machine only, or one interface's address).");
            else if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
                failures.Add($"{Section}:Prometheus:Address='{prometheus.Address}': the scrape listener binds one address; give the interface's own address (or use OTLP).");
            if (prometheus.Port is < 1 or > 65535)
                failures.Add($"{Section}:Prometheus:Port={prometheus.Port} but a port is 1 to 65535.");
            if (string.IsNullOrWhiteSpace(prometheus.Path) || !prometheus.Path.StartsWith('/'))
                failures.Add($"{Section}:Prometheus:Path='{prometheus.Path}' must start with '/' (e.g. /metrics).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
