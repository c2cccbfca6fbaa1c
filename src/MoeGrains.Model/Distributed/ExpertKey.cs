using System.Globalization;

namespace MoeGrains.Model.Distributed;

/// <summary>Identifies one expert FFN of a distributed model: expert <see cref="Expert"/> of the MoE layer in block <see cref="Layer"/>.</summary>
/// <param name="Layer">Index of the transformer block (0-based, bottom first).</param>
/// <param name="Expert">Index of the expert within the layer.</param>
public readonly record struct ExpertKey(int Layer, int Expert)
{
    private const string BlockPrefix = "blocks.";
    private const string ExpertsInfix = ".moeFeedForward.experts.";

    /// <summary>
    /// The prefix of this expert's entries in a full <see cref="MoeLanguageModel"/>'s state dict,
    /// <c>blocks.{layer}.moeFeedForward.experts.{expert}.</c>; what follows it (<c>up.weight</c>, …) is the key in the
    /// expert's own state dict.
    /// </summary>
    public string ParameterPrefix => string.Create(CultureInfo.InvariantCulture, $"{BlockPrefix}{Layer}{ExpertsInfix}{Expert}.");

    /// <summary>Every expert of a model with <paramref name="config"/>, layer by layer.</summary>
    public static IReadOnlyList<ExpertKey> All(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var keys = new List<ExpertKey>();
        for (var layer = 0; layer < config.Layers; layer++)
        {
            if (!config.IsMoeLayer(layer)) continue;
            for (var expert = 0; expert < config.Experts; expert++) keys.Add(new ExpertKey(layer, expert));
        }
        return keys;
    }

    /// <summary>
    /// Recognises a full-model state-dict key that belongs to an expert, returning the expert and the key within the
    /// expert's own state dict (e.g. <c>up.weight</c>).
    /// </summary>
    public static bool TryParse(string parameterName, out ExpertKey key, out string localName)
    {
        ArgumentNullException.ThrowIfNull(parameterName);
        key = default;
        localName = "";
        if (!parameterName.StartsWith(BlockPrefix, StringComparison.Ordinal)) return false;
        var infix = parameterName.IndexOf(ExpertsInfix, StringComparison.Ordinal);
        if (infix < 0) return false;
        var expertStart = infix + ExpertsInfix.Length;
        var expertEnd = parameterName.IndexOf('.', expertStart);
        if (expertEnd < 0) return false;
        if (!int.TryParse(parameterName.AsSpan(BlockPrefix.Length, infix - BlockPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var layer)
            || !int.TryParse(parameterName.AsSpan(expertStart, expertEnd - expertStart), NumberStyles.None, CultureInfo.InvariantCulture, out var expert))
            return false;
        key = new ExpertKey(layer, expert);
        localName = parameterName[(expertEnd + 1)..];
        return true;
    }

    /// <summary>"layer 1, expert 3".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"layer {Layer}, expert {Expert}");
}
