namespace MoeGrains.Model.Domains;

/// <summary>How a mixture weighs its experts before it has seen any of the text.</summary>
public enum PriorMode
{
    /// <summary>1/E for every expert, always.</summary>
    Uniform,

    /// <summary>
    /// Starts uniform; after each batch of <see cref="MixtureMath.PriorUpdateRows"/> rows, 0.3 · the batch's mean
    /// last-position posterior + 0.7 · the prior.
    /// </summary>
    Updating,

    /// <summary>A prior estimated beforehand with <see cref="Updating"/> on validation blocks of the target data, then fixed.</summary>
    Cached,
}
