namespace MoeGrains.Grains.Placement;

/// <summary>Thrown when an expert must be placed but no active silo offers expert slots.</summary>
[GenerateSerializer]
[Alias("MoeGrains.Grains.Placement.NoExpertSiloException")]
public sealed class NoExpertSiloException : OrleansException
{
    /// <summary>The first sentence of every message: callers and tests can match on it.</summary>
    public const string Summary = "No silo offers expert slots (moe.expert-slots > 0): start an expert silo (MoeGrains:Accelerator:ExpertSlots > 0).";

    /// <summary>Creates the exception with <see cref="Summary"/> followed by <paramref name="detail"/>.</summary>
    public NoExpertSiloException(string detail) : base($"{Summary} {detail}")
    {
    }
}
