namespace MoeGrains.Model.Data;

/// <summary>How <see cref="BlockSampler"/> picks the domain of each row.</summary>
public enum DomainSampling
{
    /// <summary>Every domain equally often, whatever its size.</summary>
    Balanced,

    /// <summary>Each domain in proportion to its number of tokens.</summary>
    Proportional,
}
