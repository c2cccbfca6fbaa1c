using System.Net;
using Microsoft.Extensions.Options;

namespace MoeGrains.Silo.Hosting;

/// <summary>Checks ports, the advertised address and that non-local clustering has a connection string.</summary>
public sealed class MoeGrainsSiloOptionsValidator : IValidateOptions<MoeGrainsSiloOptions>
{
    private const string Section = MoeGrainsSiloOptions.SectionName;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MoeGrainsSiloOptions options)
    {
        var failures = new List<string>();
        if (options.SiloPort is < 1 or > 65535)
            failures.Add($"{Section}:SiloPort={options.SiloPort} but a port is 1 to 65535.");
        if (options.GatewayPort is < 0 or > 65535)
            failures.Add($"{Section}:GatewayPort={options.GatewayPort} but a port is 0 (no gateway) to 65535.");
        if (options.GatewayPort != 0 && options.GatewayPort == options.SiloPort)
            failures.Add($"{Section}:SiloPort and {Section}:GatewayPort are both {options.SiloPort}; they must differ.");
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        if (options.Clustering == ClusteringKind.AzureStorage && hasConnectionString == (options.AccountUrl is not null))
            failures.Add($"{Section}:Clustering=AzureStorage needs exactly one of {Section}:ConnectionString and {Section}:AccountUrl (DefaultAzureCredential).");
        else if (options.Clustering is not (ClusteringKind.Localhost or ClusteringKind.AzureStorage) && !hasConnectionString)
            failures.Add($"{Section}:Clustering={options.Clustering} needs {Section}:ConnectionString.");
        if (options.AccountUrl is not null && options.Clustering != ClusteringKind.AzureStorage)
            failures.Add($"{Section}:AccountUrl applies to Clustering=AzureStorage only (got Clustering={options.Clustering}).");
        if (options.AccountUrl is { IsAbsoluteUri: false } || options.AccountUrl is { Scheme: not ("https" or "http") })
            failures.Add($"{Section}:AccountUrl='{options.AccountUrl}' is not an absolute http(s) URL.");
        if (options.Clustering == ClusteringKind.AdoNet && string.IsNullOrWhiteSpace(options.AdoNetInvariant))
            failures.Add($"{Section}:Clustering=AdoNet needs {Section}:AdoNetInvariant (Npgsql for PostgreSQL).");
        if (options.AdvertisedIPAddress is { Length: > 0 } address && !IPAddress.TryParse(address, out _))
            failures.Add($"{Section}:AdvertisedIPAddress='{address}' is not an IP address.");
        if (options.PrimarySiloEndpoint is { Length: > 0 } primary && !IPEndPoint.TryParse(primary, out _))
            failures.Add($"{Section}:PrimarySiloEndpoint='{primary}' is not an address:port endpoint such as 127.0.0.1:11111.");
        if (options.PrimarySiloEndpoint is { Length: > 0 } && options.Clustering != ClusteringKind.Localhost)
            failures.Add($"{Section}:PrimarySiloEndpoint applies to Clustering=Localhost only (got Clustering={options.Clustering}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
