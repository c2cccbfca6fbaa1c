using Xunit;

namespace MoeGrains.Testing;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, without persistence, for Redis membership
/// (<c>MoeGrains:Silo:Clustering=Redis</c>). deploy/host/run provides redis-server (the Debian 13 root file system includes it);
/// elsewhere install the redis-server package. Never skips: a missing server fails with how to install it.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private LocalServer? server;

    /// <summary>The port on 127.0.0.1.</summary>
    public int Port { get; } = FreePorts.Take(1)[0];

    /// <summary>A StackExchange.Redis connection string for this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var program = LocalServer.FindOnPath("redis-server")
            ?? throw new InvalidOperationException("redis-server is not on PATH. deploy/host/run provides it (deploy/host/ensure-rootfs installs redis-server); elsewhere apt-get install redis-server.");
        server = await LocalServer.StartAsync("redis-server", program,
            ["--port", $"{Port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"], Port, TimeSpan.FromSeconds(20)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync().ConfigureAwait(false);
    }
}
