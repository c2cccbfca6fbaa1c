namespace MoeGrains.Model;

/// <summary>How the top-2 gate picks the second expert (GShard).</summary>
public enum SecondExpertPolicy
{
    /// <summary>The argmax of the logits with the first expert masked out; no noise.</summary>
    All,

    /// <summary>As <see cref="All"/>, but Gumbel noise is added to the logits before the second argmax.</summary>
    Sampling,
}
