using MoeGrains.Faults.Tests.Cluster;

namespace MoeGrains.Faults.Tests.BadInput;

/// <summary>One bad request through the SDK: what to call, the exception type expected, and a fragment its message must hold.</summary>
public sealed record SdkBadInputCase(Func<FaultCluster, Task> Call, Type Expected, string Fragment);
