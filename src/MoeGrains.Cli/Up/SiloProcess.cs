using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MoeGrains.Cli.Up;

/// <summary>A silo host process (<c>dotnet moe-silo.dll</c>) whose output lines are forwarded, prefixed, to stderr.</summary>
internal sealed class SiloProcess : IDisposable
{
    private const int SigTerm = 15;
    private readonly Process process;

    private SiloProcess(SiloPlan plan, Process process)
    {
        Plan = plan;
        this.process = process;
    }

    public SiloPlan Plan { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Where the silo host binary is: beside moe.dll (the CLI project references MoeGrains.Silo).</summary>
    public static string HostPath => Path.Combine(AppContext.BaseDirectory, "moe-silo.dll");

    public static SiloProcess Start(SiloPlan plan, IEnumerable<string> arguments, string workingDirectory)
    {
        if (!File.Exists(HostPath))
            throw new FileNotFoundException($"The silo host '{HostPath}' is missing; build src/MoeGrains.Cli, which places it beside moe.dll.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(HostPath);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var prefix = $"silo{plan.Index} | ";
        process.OutputDataReceived += (_, line) => { if (line.Data is { Length: > 0 } text) Console.Error.WriteLine(prefix + text); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is { Length: > 0 } text) Console.Error.WriteLine(prefix + text); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiloProcess(plan, process);
    }

    /// <summary>Asks the silo to shut down gracefully (SIGTERM: the Generic Host stops the silo, which leaves the cluster).</summary>
    public void RequestStop()
    {
        if (!process.HasExited) _ = Kill(process.Id, SigTerm);
    }

    /// <summary>Waits for the process to exit; kills it (and its children) when it has not after <paramref name="timeout"/>.</summary>
    public async Task WaitOrKillAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => process.WaitForExitAsync(cancellationToken);

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code for one call of kill(2)
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
