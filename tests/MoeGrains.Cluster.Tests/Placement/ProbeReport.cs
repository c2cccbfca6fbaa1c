using MoeGrains.Grains.Placement;

namespace MoeGrains.Cluster.Tests.Placement;

[GenerateSerializer, Immutable]
public sealed record ProbeReport([property: Id(0)] SiloAddress Silo, [property: Id(1)] DeviceAssignment Device);
