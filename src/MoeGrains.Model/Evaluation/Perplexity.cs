namespace MoeGrains.Model.Evaluation;

/// <summary>Perplexity over a set of predicted tokens.</summary>
/// <param name="TotalNll">Summed negative log-likelihood (nats).</param>
/// <param name="Tokens">Number of predicted tokens.</param>
public sealed record Perplexity(double TotalNll, long Tokens)
{
    /// <summary>Mean negative log-likelihood per token (nats).</summary>
    public double MeanNll => Tokens == 0 ? double.NaN : TotalNll / Tokens;

    /// <summary>exp(mean NLL).</summary>
    public double Value => Math.Exp(MeanNll);

    /// <summary>Pools two token sets.</summary>
    public Perplexity Add(Perplexity other) => new(TotalNll + other.TotalNll, Tokens + other.Tokens);
}
