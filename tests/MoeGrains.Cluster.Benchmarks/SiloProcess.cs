using System.Diagnostics;
using MoeGrains.Testing;

namespace MoeGrains.Cluster.Benchmarks;

/// <summary>A <c>dotnet moe-silo.dll</c> process (the Silo project's build output) configured by environment variables; its output goes to a log file.</summary>
internal sealed class SiloProcess : IDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private SiloProcess(Process process, StreamWriter log)
    {
        this.process = process;
        this.log = log;
    }

    public string LogPath { get; private init; } = "";

    public bool HasExited => process.HasExited;

    /// <summary>Starts the silo; <paramref name="settings"/> are configuration keys (<c>MoeGrains:Silo:SiloPort</c>) passed as environment variables.</summary>
    public static SiloProcess Start(string name, IReadOnlyDictionary<string, string> settings, string logFolder)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0/
        var dll = Path.Combine(RepositoryRoot.Find(), "src", "MoeGrains.Silo", "bin", configuration, "net10.0", "moe-silo.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{dll} is missing; build src/MoeGrains.Silo -c {configuration}.");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__MoeGrains"] = "Warning";
        start.Environment["Logging__LogLevel__Orleans.Hosting"] = "Warning";
        var logPath = Path.Combine(logFolder, name + ".log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiloProcess(process, log) { LogPath = logPath };
    }

    /// <summary>The last lines of the silo's output, for error messages.</summary>
    public string Tail(int lines = 20)
    {
        lock (log) log.Flush();
        using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var all = reader.ReadToEnd().Split('\n');
        return string.Join('\n', all.TakeLast(lines));
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        process.Dispose();
        lock (log) log.Dispose();
    }
}
