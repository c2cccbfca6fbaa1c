namespace MoeGrains.Silo.Observability;

/// <summary>The services the Orleans Dashboard registered in the silo's container, which its web host forwards.</summary>
internal sealed record DashboardServiceTypes(IReadOnlyList<Type> Types);
