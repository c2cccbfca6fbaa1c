using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace MoeGrains.Silo.Hosting;

/// <summary>Joins the silo to its cluster as configured under <c>MoeGrains:Silo</c> and <c>Orleans:ClusterId/ServiceId</c>.</summary>
public static class ClusteringSiloBuilderExtensions
{
    /// <summary>
    /// Binds <see cref="MoeGrainsSiloOptions"/> and <see cref="ClusterOptions"/> and configures membership
    /// (Localhost, AzureStorage, Redis or AdoNet) and the silo and gateway ports.
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting is invalid (the message names it).</exception>
    public static ISiloBuilder UseMoeGrainsClustering(this ISiloBuilder builder, IConfiguration configuration)
    {
        var section = configuration.GetSection(MoeGrainsSiloOptions.SectionName);
        var options = section.Get<MoeGrainsSiloOptions>() ?? new MoeGrainsSiloOptions();
        var validation = new MoeGrainsSiloOptionsValidator().Validate(null, options);
        if (validation.Failed)
            throw new OptionsValidationException(MoeGrainsSiloOptions.SectionName, typeof(MoeGrainsSiloOptions), validation.Failures);
        builder.Services.AddOptions<MoeGrainsSiloOptions>().Bind(section);

        var clusterId = configuration["Orleans:ClusterId"] is { Length: > 0 } c ? c : MoeGrainsSiloOptions.DefaultClusterId;
        var serviceId = configuration["Orleans:ServiceId"] is { Length: > 0 } s ? s : MoeGrainsSiloOptions.DefaultClusterId;
        var connectionString = options.ConnectionString ?? string.Empty;
        switch (options.Clustering)
        {
            case ClusteringKind.Localhost:
                var primary = options.PrimarySiloEndpoint is { Length: > 0 } endpoint ? IPEndPoint.Parse(endpoint) : null;
                builder.UseLocalhostClustering(options.SiloPort, options.GatewayPort, primary, serviceId, clusterId);
                break;
            case ClusteringKind.AzureStorage:
                builder.UseAzureStorageClustering(table => table.TableServiceClient = AzureClients.TableService(options.ConnectionString, options.AccountUrl));
                break;
            case ClusteringKind.Redis:
                builder.UseRedisClustering(connectionString);
                break;
            case ClusteringKind.AdoNet:
                builder.UseAdoNetClustering(adoNet =>
                {
                    adoNet.Invariant = options.AdoNetInvariant;
                    adoNet.ConnectionString = connectionString;
                });
                break;
        }

        if (options.Clustering != ClusteringKind.Localhost)
            builder.ConfigureEndpoints(options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
        if (options.AdvertisedIPAddress is { Length: > 0 } advertised)
            builder.Configure<EndpointOptions>(endpoints => endpoints.AdvertisedIPAddress = IPAddress.Parse(advertised));

        builder.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = clusterId;
            cluster.ServiceId = serviceId;
        });
        return builder;
    }
}
