using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MoeGrains.Security;
using Orleans.Configuration;

namespace MoeGrains.Client.Connection;

/// <summary>
/// A connected Orleans client (a Generic Host running <c>UseOrleansClient</c>) and the <see cref="MoeClient"/> over it.
/// Dispose it to disconnect.
/// </summary>
public sealed class MoeClusterConnection : IAsyncDisposable
{
    private readonly IHost host;

    private MoeClusterConnection(IHost host, string target)
    {
        this.host = host;
        Target = target;
        Cluster = host.Services.GetRequiredService<IClusterClient>();
        Client = new MoeClient(Cluster, host.Services.GetService<ILogger<MoeClient>>());
    }

    /// <summary>What the client connected to (gateways or the configuration file), for messages.</summary>
    public string Target { get; }

    /// <summary>The SDK client.</summary>
    public MoeClient Client { get; }

    /// <summary>The underlying Orleans client.</summary>
    public IClusterClient Cluster { get; }

    /// <summary>
    /// Connects to <paramref name="cluster"/>: the path of a JSON configuration file (the silo host's keys, see
    /// <see cref="ClientClusteringExtensions.UseMoeGrainsClustering"/>) or a gateway list <c>address:port[,address:port…]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The value is neither an existing file nor a gateway list.</exception>
    /// <exception cref="ClusterConnectionException">No gateway answered; the message names them.</exception>
    public static async Task<MoeClusterConnection> ConnectAsync(string cluster, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cluster);
        if (File.Exists(cluster))
        {
            var configuration = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(cluster), optional: false).Build();
            return await ConnectAsync(configuration, $"the cluster of {cluster}", logging, cancellationToken);
        }
        if (cluster.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            throw new FileNotFoundException($"Cluster configuration file '{cluster}' does not exist.");
        var gateways = GatewayList.Parse(cluster);
        await GatewayProbe.RequireAnyListeningAsync(gateways, cancellationToken);
        var settings = new Dictionary<string, string?> { [$"{MoeClientOptions.SectionName}:Gateways"] = string.Join(',', gateways) };
        return await ConnectAsync(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), $"gateway {string.Join(", ", gateways)}", logging, cancellationToken);
    }

    /// <summary>Connects with the clustering of <paramref name="configuration"/>; <paramref name="target"/> names it in errors.</summary>
    /// <exception cref="ClusterConnectionException">The cluster could not be reached.</exception>
    public static async Task<MoeClusterConnection> ConnectAsync(IConfiguration configuration, string target, Action<ILoggingBuilder>? logging = null,
        CancellationToken cancellationToken = default)
    {
        var options = configuration.GetSection(MoeClientOptions.SectionName).Get<MoeClientOptions>() ?? new MoeClientOptions();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.UseOrleansClient(client =>
        {
            client.UseMoeGrainsClustering(configuration);
            client.AddActivityPropagation(); // a caller's trace continues through the grain calls
            client.UseMoeGrainsTls(configuration);
            client.Configure<ClientMessagingOptions>(messaging => messaging.ResponseTimeout = options.ResponseTimeout);
        });
        var host = builder.Build();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ConnectTimeout);
        try
        {
            await host.StartAsync(deadline.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            throw new ClusterConnectionException($"Could not connect to {target} within {options.ConnectTimeout.TotalSeconds:N0} s.", e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            throw new ClusterConnectionException($"Could not connect to {target}: {Describe(e)}", e);
        }
        return new MoeClusterConnection(host, target);
    }

    private static string Describe(Exception e)
    {
        var inner = e;
        while (inner.InnerException is { } next && inner is AggregateException or OrleansException) inner = next;
        return inner.Message.Split('\n')[0].Trim();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await host.StopAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            host.Dispose();
        }
    }

}
