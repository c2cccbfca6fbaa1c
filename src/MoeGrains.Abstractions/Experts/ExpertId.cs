namespace MoeGrains.Abstractions.Experts;

/// <summary>
/// The global id of one expert: <c>{model}/{layer}/{expert}</c>. Experts are keyed by what they are, never by silo or
/// rank, so a checkpoint fits any cluster size.
/// </summary>
/// <param name="Model">Model name.</param>
/// <param name="Layer">Transformer block index.</param>
/// <param name="Expert">Expert index within the layer.</param>
[GenerateSerializer, Immutable, Alias("moe.ExpertId")]
public sealed record ExpertId([property: Id(0)] string Model, [property: Id(1)] int Layer, [property: Id(2)] int Expert)
{
    /// <summary>The grain key.</summary>
    public string Key => $"{Model}/{Layer}/{Expert}";

    /// <inheritdoc/>
    public override string ToString() => Key;

    /// <summary>Parses a grain key.</summary>
    /// <exception cref="ArgumentException">The key is not <c>{model}/{layer}/{expert}</c>.</exception>
    public static ExpertId Parse(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 3 || parts[0].Length == 0 || !int.TryParse(parts[1], out var layer) || !int.TryParse(parts[2], out var expert)
            || layer < 0 || expert < 0)
            throw new ArgumentException($"'{key}' is not an expert id; expected {{model}}/{{layer}}/{{expert}}.", nameof(key));
        return new ExpertId(parts[0], layer, expert);
    }
}
