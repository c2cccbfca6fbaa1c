using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace MoeGrains.Testing;

/// <summary>
/// Runs the repository's pinned Azurite (<c>deploy/azurite</c>, installed by <c>deploy/host/ensure-azurite</c>) on free loopback
/// ports with data in a temporary folder, so <see cref="StopAsync"/> and <see cref="StartAsync"/> simulate an outage and recovery
/// on the same endpoints and data. Use as an xunit class or collection fixture, or directly (benchmarks). Never skips: a missing
/// <c>node</c> or Azurite fails with what is missing and how to install it.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>Azurite's well-known development account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development account key.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly StringBuilder output = new();
    private readonly string location = Path.Combine(Path.GetTempPath(), $"moegrains-azurite-{Guid.NewGuid():N}");
    private Process? process;

    /// <summary>Chooses free ports; nothing runs until <see cref="StartAsync"/> (or xunit's InitializeAsync).</summary>
    public AzuriteFixture()
    {
        var ports = FreePorts.Take(3);
        (BlobPort, QueuePort, TablePort) = (ports[0], ports[1], ports[2]);
    }

    /// <summary>The blob service port on 127.0.0.1.</summary>
    public int BlobPort { get; }

    /// <summary>The queue service port on 127.0.0.1.</summary>
    public int QueuePort { get; }

    /// <summary>The table service port on 127.0.0.1.</summary>
    public int TablePort { get; }

    /// <summary>A connection string for the development account with explicit endpoints on this instance's ports.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    /// <summary>True while the Azurite process runs.</summary>
    public bool IsRunning => process is { HasExited: false };

    /// <summary>Starts Azurite (again) on the same ports and data folder and waits until the blob port accepts connections.</summary>
    /// <exception cref="InvalidOperationException">node or Azurite is missing, or Azurite did not come up in time (with its output).</exception>
    public async Task StartAsync()
    {
        if (IsRunning) return;
        var root = RepositoryRoot.Find();
        var script = Path.Combine(root, "deploy", "azurite", "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
            throw new InvalidOperationException($"Azurite is not installed ({script} is missing); run deploy/host/ensure-azurite (deploy/host/run calls it).");
        var node = FindOnPath("node")
            ?? throw new InvalidOperationException("node is not on PATH; Azurite needs Node.js. deploy/host/run provides it (the Debian 13 root file system from deploy/host/ensure-rootfs includes nodejs); elsewhere install nodejs.");

        Directory.CreateDirectory(location);
        lock (output) output.Clear();
        var start = new ProcessStartInfo(node)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = location,
        };
        foreach (var argument in new[]
        {
            script,
            "--blobHost", "127.0.0.1", "--blobPort", $"{BlobPort}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{QueuePort}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{TablePort}",
            "--location", location, "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry",
        })
        {
            start.ArgumentList.Add(argument);
        }

        process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitForBlobPortAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Stops Azurite and waits for it to exit; data stays in the temporary folder. Asks politely first (SIGTERM), because Azurite
    /// saves its metadata database only every few seconds and on shutdown: a hard kill loses the last seconds of containers and
    /// blobs. Kills the process tree if it has not exited within 10 s.
    /// </summary>
    public async Task StopAsync()
    {
        var running = process;
        process = null;
        if (running is null) return;
        try
        {
            if (!running.HasExited && OperatingSystem.IsLinux() && NativeMethods.Kill(running.Id, NativeMethods.SigTerm) == 0)
            {
                using var graceful = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await running.WaitForExitAsync(graceful.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
            if (!running.HasExited) running.Kill(entireProcessTree: true);
            await running.WaitForExitAsync().ConfigureAwait(false);
        }
        finally
        {
            running.Dispose();
        }
    }

    /// <summary>What Azurite printed so far (both streams).</summary>
    public string Output()
    {
        lock (output) return output.ToString();
    }

    /// <inheritdoc />
    public Task InitializeAsync() => StartAsync();

    /// <inheritdoc />
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync().ConfigureAwait(false);

    /// <summary>Stops Azurite and deletes its data folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(location, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private async Task WaitForBlobPortAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process is null || process.HasExited)
                throw new InvalidOperationException($"Azurite exited with code {process?.ExitCode} before listening on 127.0.0.1:{BlobPort}. Output:\n{Output()}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, BlobPort).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
        await StopAsync().ConfigureAwait(false);
        throw new InvalidOperationException($"Azurite did not listen on 127.0.0.1:{BlobPort} within {StartTimeout.TotalSeconds} s. Output:\n{Output()}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
}
