using Orleans.Placement;

namespace MoeGrains.Grains.Placement;

/// <summary>The placement filter behind <see cref="ExpertSlotsFilterAttribute"/>: only silos offering expert slots.</summary>
public sealed class ExpertSlotsFilterStrategy : PlacementFilterStrategy
{
    /// <summary>Creates the strategy with order 0 (the runtime re-initialises it from grain properties).</summary>
    public ExpertSlotsFilterStrategy() : this(0)
    {
    }

    /// <summary>Creates the strategy with the given order among a grain's filters.</summary>
    public ExpertSlotsFilterStrategy(int order) : base(order)
    {
    }
}
