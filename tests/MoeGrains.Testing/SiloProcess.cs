using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MoeGrains.Testing;

/// <summary>
/// One real silo host process (<c>dotnet moe-silo.dll</c>) configured through environment variables, with both output streams
/// captured for failure messages. Disposing kills its whole process tree.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly StringBuilder output = new();
    private readonly Process process;

    private SiloProcess(string name, Process process, int siloPort, int gatewayPort)
    {
        Name = name;
        this.process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
    }

    /// <summary>The name given at start (used in messages).</summary>
    public string Name { get; }

    /// <summary>The silo-to-silo port on 127.0.0.1.</summary>
    public int SiloPort { get; }

    /// <summary>The client gateway port on 127.0.0.1; 0 when the silo accepts no clients.</summary>
    public int GatewayPort { get; }

    /// <summary>The operating system process id.</summary>
    public int ProcessId => process.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>The silo's address as Orleans prints it (<c>S127.0.0.1:port:generation</c>) starts with this.</summary>
    public string AddressPrefix => $"S127.0.0.1:{SiloPort}:";

    /// <summary>Starts <c>dotnet <paramref name="siloDll"/></c> with <paramref name="environment"/> added to this process's environment.</summary>
    /// <param name="name">A name for messages.</param>
    /// <param name="siloDll">The silo host's entry assembly (moe-silo.dll).</param>
    /// <param name="siloPort">The silo port (also passed in <paramref name="environment"/> by the caller).</param>
    /// <param name="gatewayPort">The gateway port, or 0.</param>
    /// <param name="environment">Settings, e.g. <c>MoeGrains__Silo__SiloPort</c>.</param>
    /// <param name="earlierOutput">Output of an earlier process of the same silo, kept at the start of <see cref="Output"/>.</param>
    public static SiloProcess Start(string name, string siloDll, int siloPort, int gatewayPort, IReadOnlyDictionary<string, string> environment,
        string? earlierOutput = null)
    {
        var start = new ProcessStartInfo(DotnetHost.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(siloDll)!,
        };
        start.ArgumentList.Add(siloDll);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var silo = new SiloProcess(name, process, siloPort, gatewayPort);
        if (earlierOutput is { Length: > 0 }) silo.output.Append(earlierOutput).AppendLine("----- restarted -----");
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>What the process printed so far (both streams).</summary>
    public string Output()
    {
        lock (output) return output.ToString();
    }

    /// <summary>The last <paramref name="characters"/> characters of <see cref="Output"/>.</summary>
    public string Tail(int characters = 6000)
    {
        var all = Output();
        return all.Length <= characters ? all : "…" + all[^characters..];
    }

    /// <summary>Waits until <paramref name="port"/> accepts TCP connections; fails with the output if the process exits first.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"Silo {Name} exited with code {process.ExitCode} before listening on 127.0.0.1:{port}. Output:\n{Tail()}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
        throw new TimeoutException($"Silo {Name} did not listen on 127.0.0.1:{port} within {timeout.TotalSeconds} s. Output:\n{Tail()}");
    }

    /// <summary>Kills the process tree at once (no graceful shutdown: a crash, as far as the cluster can tell) and waits for it to exit.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // exited meanwhile
        }
        await process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>Kills the process tree and releases the process handle.</summary>
    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }
}
