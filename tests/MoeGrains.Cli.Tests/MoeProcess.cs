using System.Diagnostics;

namespace MoeGrains.Cli.Tests;

/// <summary>Runs the real <c>moe</c> command (moe.dll from this test's output) as a child process.</summary>
internal static class MoeProcess
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

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

    public static string SampleCorpus => Path.Combine(AppContext.BaseDirectory, "sample-corpus");
}
