using MoeGrains.Faults.Tests.Cluster;

namespace MoeGrains.Faults.Tests.Faults;

/// <summary>Decides when serving has recovered from a fault, from the records of a running <see cref="RequestLoad"/>.</summary>
internal static class ServingRecovery
{
    /// <summary>How long every request must have succeeded before serving counts as recovered.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Waits until a request that started after the last failure succeeded and nothing failed for <see cref="Quiet"/>; returns the
    /// time from <paramref name="faultAt"/> to the end of the last failed request (zero when none failed).
    /// </summary>
    /// <exception cref="TimeoutException">Not recovered within <paramref name="bound"/> after the fault.</exception>
    public static async Task<TimeSpan> AwaitAsync(RequestLoad load, TimeSpan faultAt, TimeSpan bound)
    {
        while (true)
        {
            var records = load.Records;
            var lastFailure = records.Where(r => r.Failed).Select(r => r.End).DefaultIfEmpty(faultAt).Max();
            if (records.Any(r => !r.Failed && r.Start > lastFailure) && load.Elapsed - lastFailure > Quiet)
                return lastFailure > faultAt ? lastFailure - faultAt : TimeSpan.Zero;
            if (load.Elapsed - faultAt > bound)
            {
                var errors = records.Where(r => r.Failed).Select(r => r.Error).Distinct().Take(5);
                throw new TimeoutException($"Serving did not recover within {bound.TotalSeconds} s of the fault; errors: {string.Join(" | ", errors)}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>The distinct errors of the failed records, for messages and the report.</summary>
    public static string Errors(IEnumerable<RequestRecord> records) =>
        string.Join(" | ", records.Where(r => r.Failed).Select(r => Shorten(r.Error!)).Distinct().Take(3));

    /// <summary>An error cut before Orleans' message details (the request's ids differ from one failure to the next).</summary>
    private static string Shorten(string error)
    {
        var cut = error.IndexOf(" for message:", StringComparison.Ordinal);
        return cut > 0 ? error[..cut] : error.Length <= 120 ? error : error[..120] + "…";
    }
}
