using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MoeGrains.Testing;

/// <summary>A server process (redis-server, postgres) with captured output, started and awaited on a loopback port; disposing kills it.</summary>
internal sealed class LocalServer : IAsyncDisposable
{
    private readonly StringBuilder output = new();
    private readonly Process process;

    private LocalServer(Process process) => this.process = process;

    public bool HasExited => process.HasExited;

    public string Output()
    {
        lock (output) return output.ToString();
    }

    /// <summary>Starts <paramref name="program"/> and waits until 127.0.0.1:<paramref name="port"/> accepts connections.</summary>
    /// <exception cref="InvalidOperationException">The process exited or did not listen in time (the message has its output).</exception>
    public static async Task<LocalServer> StartAsync(string name, string program, IEnumerable<string> arguments, int port, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var server = new LocalServer(new Process { StartInfo = start, EnableRaisingEvents = true });
        server.process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server.process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server.process.Start();
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (server.process.HasExited)
                throw new InvalidOperationException($"{name} exited with code {server.process.ExitCode} before listening on 127.0.0.1:{port}. Output:\n{server.Output()}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
        await server.DisposeAsync().ConfigureAwait(false);
        throw new InvalidOperationException($"{name} did not listen on 127.0.0.1:{port} within {timeout.TotalSeconds} s. Output:\n{server.Output()}");
    }

    /// <summary>Runs <paramref name="program"/> to completion; fails with its output on a non-zero exit code.</summary>
    public static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await stdout.ConfigureAwait(false)}{await stderr.ConfigureAwait(false)}");
    }

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        await process.WaitForExitAsync().ConfigureAwait(false);
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }
}
