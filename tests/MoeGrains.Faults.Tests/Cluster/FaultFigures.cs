namespace MoeGrains.Faults.Tests.Cluster;

/// <summary>What one injected fault cost.</summary>
/// <param name="Fault">What was injected.</param>
/// <param name="Requests">Client requests made while the fault was in effect.</param>
/// <param name="FailedRequests">Of those, how many failed.</param>
/// <param name="StepsLost">Training steps recomputed (done but not yet committed when the fault hit).</param>
/// <param name="VersionsVerified">Committed checkpoint versions that verified afterwards (every committed version is checked).</param>
/// <param name="Recovery">From the fault until the cluster served (or trained) again; null when nothing had to recover.</param>
/// <param name="Outcome">What happened, in words.</param>
public sealed record FaultFigures(string Fault, int Requests, int FailedRequests, long StepsLost, int VersionsVerified, TimeSpan? Recovery, string Outcome);
