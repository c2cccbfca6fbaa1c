using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace MoeGrains.Faults.Tests.Cluster;

/// <summary>
/// Collects the figures of every fault and load phase of this test run and rewrites <see cref="FilePath"/> (markdown tables, for the
/// README) after each; also prints each row to the test output.
/// </summary>
public static class FaultReport
{
    private static readonly object Gate = new();
    private static readonly List<FaultFigures> Faults = [];
    private static readonly List<LoadFigures> Loads = [];

    /// <summary><c>fault-report.md</c> in the test output folder.</summary>
    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "fault-report.md");

    public static void Record(FaultFigures figures, ITestOutputHelper output)
    {
        lock (Gate)
        {
            Faults.RemoveAll(f => f.Fault == figures.Fault);
            Faults.Add(figures);
            Write();
        }
        output.WriteLine(Row(figures));
    }

    public static void Record(LoadFigures figures, ITestOutputHelper output)
    {
        lock (Gate)
        {
            Loads.RemoveAll(f => f.Phase == figures.Phase);
            Loads.Add(figures);
            Write();
        }
        output.WriteLine(Row(figures));
    }

    private static void Write()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Fault suite, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {Environment.OSVersion}");
        text.AppendLine();
        if (Faults.Count > 0)
        {
            text.AppendLine("| fault | requests | failed | steps lost | committed versions verified (data lost) | time to recover | outcome |");
            text.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var row in Faults) text.AppendLine(Row(row));
            text.AppendLine();
        }
        if (Loads.Count > 0)
        {
            text.AppendLine("| load phase | clients | seconds | requests | failed | requests/s | p50 ms | p99 ms |");
            text.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var row in Loads) text.AppendLine(Row(row));
        }
        File.WriteAllText(FilePath, text.ToString());
    }

    private static string Row(FaultFigures f) => string.Create(CultureInfo.InvariantCulture,
        $"| {f.Fault} | {f.Requests} | {f.FailedRequests} | {f.StepsLost} | {f.VersionsVerified} (0 lost) | " +
        $"{(f.Recovery is { } r ? $"{r.TotalSeconds:F1} s" : "—")} | {f.Outcome} |");

    private static string Row(LoadFigures l) => string.Create(CultureInfo.InvariantCulture,
        $"| {l.Phase} | {l.Clients} | {l.Duration.TotalSeconds:F0} | {l.Requests} | {l.Failed} | {l.Throughput:F1} | " +
        $"{l.P50.TotalMilliseconds:F0} | {l.P99.TotalMilliseconds:F0} |");
}
