using Npgsql;
using Xunit;

namespace MoeGrains.Testing;

/// <summary>
/// A real PostgreSQL server on a free loopback port with a fresh data folder, and the Orleans membership schema of
/// <c>deploy/postgres/orleans-clustering.sql</c> installed, for ADO.NET membership (<c>MoeGrains:Silo:Clustering=AdoNet</c>).
/// PostgreSQL refuses to run as root, so under root the server runs as the packaged <c>postgres</c> user through
/// <c>setpriv</c>. deploy/host/run provides the server (the Debian 13 root file system includes postgresql). Never skips.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private const string ServiceUser = "postgres";
    private readonly string data = Path.Combine(Path.GetTempPath(), $"moegrains-postgres-{Guid.NewGuid():N}");
    private LocalServer? server;

    /// <summary>The port on 127.0.0.1.</summary>
    public int Port { get; } = FreePorts.Take(1)[0];

    /// <summary>An Npgsql connection string (trust authentication on loopback, database <c>postgres</c>).</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username={ServiceUser};Database=postgres;Pooling=true";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "postgres"))).OrderDescending().FirstOrDefault()
            : null;
        if (bin is null)
            throw new InvalidOperationException("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/postgres). deploy/host/run provides it (deploy/host/ensure-rootfs installs postgresql); elsewhere apt-get install postgresql.");

        var asRoot = Environment.UserName == "root";
        Directory.CreateDirectory(data);
        var sockets = Path.Combine(data, "sockets");
        if (asRoot) await LocalServer.RunAsync("chown", $"{ServiceUser}:{ServiceUser}", data).ConfigureAwait(false);
        await RunAsServiceUserAsync(asRoot, Path.Combine(bin, "initdb"), "-D", Path.Combine(data, "cluster"), "-U", ServiceUser, "--auth=trust", "--encoding=UTF8", "--no-sync").ConfigureAwait(false);
        await RunAsServiceUserAsync(asRoot, "mkdir", sockets).ConfigureAwait(false);
        var (program, arguments) = AsServiceUser(asRoot, Path.Combine(bin, "postgres"),
            "-D", Path.Combine(data, "cluster"), "-p", $"{Port}", "-c", "listen_addresses=127.0.0.1", "-c", $"unix_socket_directories={sockets}",
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
        server = await LocalServer.StartAsync("postgres", program, arguments, Port, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        await InstallSchemaAsync().ConfigureAwait(false);
    }

    private async Task InstallSchemaAsync()
    {
        var script = Path.Combine(RepositoryRoot.Find(), "deploy", "postgres", "orleans-clustering.sql");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString);
                await connection.OpenAsync().ConfigureAwait(false);
                await using var command = new NpgsqlCommand(await File.ReadAllTextAsync(script).ConfigureAwait(false), connection);
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
                return;
            }
            catch (NpgsqlException e) when (e.IsTransient || e.SqlState == "57P03")
            {
                // 57P03: the database system is starting up.
                if (DateTime.UtcNow > deadline) throw;
                await Task.Delay(200).ConfigureAwait(false);
            }
        }
    }

    private static Task RunAsServiceUserAsync(bool asRoot, string program, params string[] arguments)
    {
        var (actual, all) = AsServiceUser(asRoot, program, arguments);
        return LocalServer.RunAsync(actual, [.. all]);
    }

    private static (string Program, IEnumerable<string> Arguments) AsServiceUser(bool asRoot, string program, params string[] arguments) =>
        asRoot
            ? ("setpriv", ["--reuid", ServiceUser, "--regid", ServiceUser, "--init-groups", "--", program, .. arguments])
            : (program, arguments);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
