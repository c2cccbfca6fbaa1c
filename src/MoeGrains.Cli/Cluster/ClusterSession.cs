using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MoeGrains.Client;
using MoeGrains.Client.Connection;
using MoeGrains.Model;
using TorchSharp;

namespace MoeGrains.Cli.Cluster;

/// <summary>The cluster a verb talks to: a connection to a running cluster (<c>--cluster</c>) or an embedded silo.</summary>
internal sealed class ClusterSession : IAsyncDisposable
{
    private readonly IAsyncDisposable? connection;
    private readonly IHost? embedded;

    private ClusterSession(MoeClient client, string description, IAsyncDisposable? connection, IHost? embedded)
    {
        Client = client;
        Description = description;
        this.connection = connection;
        this.embedded = embedded;
    }

    public MoeClient Client { get; }

    /// <summary>Where the verb runs, for one log line.</summary>
    public string Description { get; }

    public bool IsEmbedded => embedded is not null;

    public static async Task<ClusterSession> OpenAsync(ClusterSettings settings, ILoggerFactory loggers, LogLevel logLevel, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("moe.cluster");
        if (!string.IsNullOrWhiteSpace(settings.Cluster))
        {
            if (settings.Store is not null)
                throw new ArgumentException("--store applies to the embedded silo only; a cluster given with --cluster uses the store its silos are configured with.");
            var connection = await MoeClusterConnection.ConnectAsync(settings.Cluster, logging =>
            {
                CliLogging.Configure(logging, logLevel);
                // A failed connection is reported once, as the error line; Orleans would log every retry and the host's failure.
                logging.AddFilter("Orleans.Runtime.Messaging", LogLevel.Error).AddFilter("Orleans.Messaging", LogLevel.Error)
                    .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
            }, cancellationToken);
            logger.LogInformation("Connected to {Target}", connection.Target);
            return new ClusterSession(connection.Client, connection.Target, connection, null);
        }

        var device = DeviceSelector.Resolve(settings.Device, logger);
        var accelerator = device.type == DeviceType.CUDA ? "cuda" : "cpu";
        var store = settings.StoreFolder;
        logger.LogInformation("Starting an embedded silo ({Accelerator}) with the checkpoint store {Store}", accelerator, store);
        var host = await EmbeddedSilo.StartAsync(store, accelerator, logLevel, cancellationToken);
        var client = new MoeClient(host.Services.GetRequiredService<IClusterClient>(), loggers.CreateLogger<MoeClient>());
        return new ClusterSession(client, $"the embedded silo (store {store})", null, host);
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null) await connection.DisposeAsync();
        if (embedded is not null)
        {
            EmbeddedSilo.Stopping = true;
            await embedded.StopAsync(TimeSpan.FromSeconds(10));
            embedded.Dispose();
        }
    }
}
