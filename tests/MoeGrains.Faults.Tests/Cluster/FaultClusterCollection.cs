namespace MoeGrains.Faults.Tests.Cluster;

/// <summary>Every test that uses the one multi-process <see cref="FaultCluster"/>; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class FaultClusterCollection : ICollectionFixture<FaultCluster>
{
    public const string Name = "fault cluster";
}
