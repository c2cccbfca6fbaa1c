namespace MoeGrains.Cluster.Tests.Placement;

/// <summary>A stand-in expert: reports where it was placed and which device it holds.</summary>
public interface IPlacementProbeGrain : IGrainWithIntegerKey
{
    Task<ProbeReport> Where();
}
