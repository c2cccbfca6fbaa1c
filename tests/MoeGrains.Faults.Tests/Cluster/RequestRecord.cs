namespace MoeGrains.Faults.Tests.Cluster;

/// <summary>One client request: when it started and ended (since the load began), and its error if it failed.</summary>
public sealed record RequestRecord(TimeSpan Start, TimeSpan End, string? Error)
{
    public bool Failed => Error is not null;

    public TimeSpan Latency => End - Start;
}
