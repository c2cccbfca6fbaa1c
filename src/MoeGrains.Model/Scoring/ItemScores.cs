namespace MoeGrains.Model.Scoring;

/// <summary>Every requested method's score of every choice of one item (higher is better).</summary>
/// <param name="Scores">Per method, one score per choice.</param>
public sealed record ItemScores(IReadOnlyDictionary<ScoringMethod, double[]> Scores)
{
    /// <summary>The choice <paramref name="method"/> picks (ties to the lower index).</summary>
    public int Prediction(ScoringMethod method) => ScoringFormulas.ArgMax(Scores[method]);
}
