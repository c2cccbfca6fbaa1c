namespace MoeGrains.Model.Domains;

/// <summary>How a mixture is formed.</summary>
/// <param name="Mode">The prior.</param>
/// <param name="TopK">Evaluate only the k experts of highest prior weight (renormalised); null: every expert.</param>
public sealed record MixtureSettings(PriorMode Mode, int? TopK = null)
{
    /// <summary>Parses <c>uniform</c>, <c>updating</c>, <c>cached</c> or <c>topk:K</c> (the top K of the cached prior).</summary>
    /// <exception cref="ArgumentException">Anything else.</exception>
    public static MixtureSettings Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim().ToLowerInvariant();
        if (value.StartsWith("topk:", StringComparison.Ordinal))
        {
            if (!int.TryParse(value[5..], out var k) || k < 1)
                throw new ArgumentException($"'{text}' is not a valid top-k mixture; expected topk:K with K ≥ 1.");
            return new MixtureSettings(PriorMode.Cached, k);
        }
        return value switch
        {
            "uniform" => new MixtureSettings(PriorMode.Uniform),
            "updating" => new MixtureSettings(PriorMode.Updating),
            "cached" => new MixtureSettings(PriorMode.Cached),
            _ => throw new ArgumentException($"Unknown mixture '{text}'. Expected uniform, updating, cached or topk:K."),
        };
    }

    /// <summary>"uniform", "updating", "cached" or "topk:K".</summary>
    public override string ToString() => TopK is { } k ? $"topk:{k}" : Mode.ToString().ToLowerInvariant();
}
