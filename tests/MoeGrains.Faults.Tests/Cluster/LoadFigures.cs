namespace MoeGrains.Faults.Tests.Cluster;

/// <summary>One phase of the load test.</summary>
/// <param name="Phase">What else happened meanwhile.</param>
/// <param name="Clients">Concurrent clients (half scoring, half generating).</param>
/// <param name="Duration">How long the clients ran.</param>
/// <param name="Requests">Requests completed or failed.</param>
/// <param name="Failed">Requests that failed.</param>
/// <param name="P50">Median latency of the successful requests.</param>
/// <param name="P99">99th percentile latency of the successful requests.</param>
public sealed record LoadFigures(string Phase, int Clients, TimeSpan Duration, int Requests, int Failed, TimeSpan P50, TimeSpan P99)
{
    public double Throughput => Requests / Duration.TotalSeconds;
}
