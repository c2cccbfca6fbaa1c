using Orleans.Placement;

namespace MoeGrains.Grains.Placement;

/// <summary>
/// Places the grain only on silos whose metadata offers expert slots (<c>moe.expert-slots</c> &gt; 0).
/// A hard requirement: where no such silo is active, activation fails with <see cref="NoExpertSiloException"/>.
/// </summary>
/// <param name="order">The order among the grain's placement filters (lower runs first).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ExpertSlotsFilterAttribute(int order = 0)
    : PlacementFilterAttribute(new ExpertSlotsFilterStrategy(order));
