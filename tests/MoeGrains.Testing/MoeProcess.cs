using System.Diagnostics;

namespace MoeGrains.Testing;

/// <summary>
/// Runs the real <c>moe</c> command (moe.dll from the test's output: reference src/MoeGrains.Cli from the test project) as a child process.
/// </summary>
public static class MoeProcess
{
    /// <summary>How a moe process ended and what it printed.</summary>
    /// <param name="ExitCode">The process exit code.</param>
    /// <param name="StdOut">Everything written to standard output.</param>
    /// <param name="StdErr">Everything written to standard error.</param>
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    /// <summary>Runs moe with <paramref name="args"/> in the temporary folder and waits (3 min at most).</summary>
    public static Result Run(params string[] args) => RunIn(Path.GetTempPath(), args);

    /// <summary>Runs moe with <paramref name="workingDirectory"/> as its current folder (embedded mode's ./.moegrains, ./runs).</summary>
    public static Result RunIn(string workingDirectory, params string[] args)
    {
        using var process = Process.Start(StartInfo(workingDirectory, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"moe {string.Join(' ', args)} did not finish in 3 minutes");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The start info of a moe process: output redirected, no colours, one torch thread.</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "moe.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["MOE_TORCH_THREADS"] = "1"; // see MoeApp: test processes run side by side (moe-silo reads it too)
        return start;
    }

    /// <summary>The bundled sample corpus in the test output (when the test project links it there).</summary>
    public static string SampleCorpus => Path.Combine(AppContext.BaseDirectory, "sample-corpus");
}
