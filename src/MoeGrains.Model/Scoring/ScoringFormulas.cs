namespace MoeGrains.Model.Scoring;

/// <summary>Each method's score of one choice (higher is better) from its token log-probabilities.</summary>
public static class ScoringFormulas
{
    /// <summary>The score that <paramref name="method"/> maximises over the choices.</summary>
    /// <exception cref="InvalidOperationException">The log-probabilities the method needs were not computed.</exception>
    public static double Score(ScoringMethod method, ChoiceLogProbabilities p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return method switch
        {
            ScoringMethod.Lm => p.Direct.Sum(),
            ScoringMethod.Avg => p.Direct.Average(),
            ScoringMethod.Pmi => p.Direct.Sum() - Need(p.NullContext, method).Sum(),
            ScoringMethod.PmiDc => p.Direct.Sum() - Need(p.DomainPremise, method).Sum(),
            ScoringMethod.DomainCond => Need(p.DomainPremise, method).Sum(),
            ScoringMethod.Channel => Need(p.Channel, method).Average(),
            // argmin (mean loss given x − mean loss given "N/A") = argmax (mean log p given x − mean log p given "N/A")
            ScoringMethod.DirectPlusPlus => p.Direct.Average() - Need(p.Calibration, method).Average(),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown scoring method."),
        };
    }

    /// <summary>The index of the highest score; ties go to the lower index.</summary>
    public static int ArgMax(IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count == 0) throw new ArgumentException("No scores to choose from.", nameof(scores));
        var best = 0;
        for (var i = 1; i < scores.Count; i++)
            if (scores[i] > scores[best]) best = i;
        return best;
    }

    private static double[] Need(double[]? values, ScoringMethod method) =>
        values ?? throw new InvalidOperationException($"The log-probabilities that {method.Name()} needs were not computed.");
}
