using System.Net;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace MoeGrains.Client.Connection;

/// <summary>Points an Orleans client at a MoeGrains cluster: a gateway list, or the same membership keys the silo host reads.</summary>
public static class ClientClusteringExtensions
{
    /// <summary>
    /// Static gateway list clustering with cluster and service id <paramref name="clusterId"/> /
    /// <paramref name="serviceId"/> (the silo host's default <see cref="MoeClientOptions.DefaultClusterId"/>).
    /// </summary>
    public static IClientBuilder UseMoeGrainsGateways(this IClientBuilder builder, IReadOnlyList<IPEndPoint> gateways,
        string clusterId = MoeClientOptions.DefaultClusterId, string serviceId = MoeClientOptions.DefaultClusterId)
    {
        builder.UseStaticClustering([.. gateways]);
        builder.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = clusterId;
            cluster.ServiceId = serviceId;
        });
        return builder;
    }

    /// <summary>
    /// Clustering from <paramref name="configuration"/>: <c>MoeGrains:Client:Gateways</c> when set, otherwise
    /// <c>MoeGrains:Silo:Clustering</c> (<c>Localhost</c> on <c>MoeGrains:Silo:GatewayPort</c>, <c>AzureStorage</c>,
    /// <c>Redis</c>, <c>AdoNet</c> with <c>MoeGrains:Silo:ConnectionString</c> and <c>AdoNetInvariant</c>), with
    /// <c>Orleans:ClusterId</c> / <c>Orleans:ServiceId</c> — the keys of the silo host's configuration.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is missing or invalid (the message names the key).</exception>
    public static IClientBuilder UseMoeGrainsClustering(this IClientBuilder builder, IConfiguration configuration)
    {
        var clusterId = configuration["Orleans:ClusterId"] is { Length: > 0 } c ? c : MoeClientOptions.DefaultClusterId;
        var serviceId = configuration["Orleans:ServiceId"] is { Length: > 0 } s ? s : MoeClientOptions.DefaultClusterId;
        if (configuration[$"{MoeClientOptions.SectionName}:Gateways"] is { Length: > 0 } gateways)
            return builder.UseMoeGrainsGateways(GatewayList.Parse(gateways), clusterId, serviceId);

        var silo = configuration.GetSection("MoeGrains:Silo");
        var kind = silo["Clustering"] is { Length: > 0 } k ? k : "Localhost";
        var connectionString = silo["ConnectionString"];
        string RequireConnectionString() => connectionString is { Length: > 0 } value ? value
            : throw new ArgumentException($"MoeGrains:Silo:Clustering={kind} needs MoeGrains:Silo:ConnectionString.");

        switch (kind.ToLowerInvariant())
        {
            case "localhost":
                var port = silo["GatewayPort"] is { Length: > 0 } p ? ParsePort(p) : 30000;
                builder.UseLocalhostClustering(port, serviceId, clusterId);
                return builder;
            case "azurestorage":
                if (silo["AccountUrl"] is { Length: > 0 } accountUrl)
                {
                    var url = Uri.TryCreate(accountUrl, UriKind.Absolute, out var parsed) ? parsed
                        : throw new ArgumentException($"MoeGrains:Silo:AccountUrl='{accountUrl}' is not an absolute URL.");
                    builder.UseAzureStorageClustering(table => table.TableServiceClient = new TableServiceClient(url, new DefaultAzureCredential()));
                    break;
                }
                var tables = RequireConnectionString();
                builder.UseAzureStorageClustering(table => table.TableServiceClient = new TableServiceClient(tables));
                break;
            case "redis":
                builder.UseRedisClustering(RequireConnectionString());
                break;
            case "adonet":
                var adoNet = RequireConnectionString();
                builder.UseAdoNetClustering(options =>
                {
                    options.Invariant = silo["AdoNetInvariant"] is { Length: > 0 } invariant ? invariant : "Npgsql";
                    options.ConnectionString = adoNet;
                });
                break;
            default:
                throw new ArgumentException($"MoeGrains:Silo:Clustering='{kind}' is unknown; expected Localhost, AzureStorage, Redis or AdoNet.");
        }
        builder.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = clusterId;
            cluster.ServiceId = serviceId;
        });
        return builder;
    }

    private static int ParsePort(string text) => int.TryParse(text, out var port) && port is > 0 and <= 65535 ? port
        : throw new ArgumentException($"MoeGrains:Silo:GatewayPort='{text}' is not a port (1 to 65535).");
}
