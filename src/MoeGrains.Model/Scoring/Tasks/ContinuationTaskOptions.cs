namespace MoeGrains.Model.Scoring.Tasks;

/// <summary>Settings of <see cref="ContinuationTaskBuilder"/>.</summary>
/// <param name="ContextCharacters">About how long each context is (cut back to a word boundary).</param>
/// <param name="ContinuationCharacters">About how long each continuation is (cut back to a word boundary).</param>
/// <param name="Choices">Choices per item: the true continuation and Choices − 1 from other passages.</param>
/// <param name="ItemsPerDomain">At most this many items per domain.</param>
/// <param name="Seed">Seeds the choice of passages, distractors and choice order.</param>
public sealed record ContinuationTaskOptions(int ContextCharacters = 64, int ContinuationCharacters = 24, int Choices = 4, int ItemsPerDomain = 40, int Seed = 0)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the bad setting.</summary>
    public ContinuationTaskOptions Validate()
    {
        if (ContextCharacters < 8) throw new ArgumentException($"The context length must be at least 8 characters (got {ContextCharacters}).");
        if (ContinuationCharacters < 4) throw new ArgumentException($"The continuation length must be at least 4 characters (got {ContinuationCharacters}).");
        if (Choices < 2) throw new ArgumentException($"An item needs at least two choices (got {Choices}).");
        if (ItemsPerDomain < 1) throw new ArgumentException($"Items per domain must be positive (got {ItemsPerDomain}).");
        return this;
    }
}
