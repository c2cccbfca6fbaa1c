using System.Text.Json;
using System.Text.Json.Serialization;

namespace MoeGrains.Model;

/// <summary>The shape of a decoder-only MoE language model and the settings of its gates.</summary>
/// <param name="Preset">The name of the preset this configuration came from (tiny, small, base) or "custom".</param>
/// <param name="VocabularySize">Number of token ids the embedding and output head cover.</param>
/// <param name="ContextLength">Maximum sequence length (learned positions).</param>
/// <param name="ModelDim">Width of the residual stream.</param>
/// <param name="Layers">Number of transformer blocks.</param>
/// <param name="Heads">Attention heads per block; must divide <paramref name="ModelDim"/>.</param>
/// <param name="FeedForwardDim">Hidden width of each feed-forward network (dense or expert).</param>
/// <param name="Gate">How feed-forward sublayers route tokens.</param>
/// <param name="Experts">Experts per MoE layer (ignored by <see cref="GateKind.Dense"/>).</param>
/// <param name="MoeEvery">1: every block has a MoE layer; 2: every other block (blocks 1, 3, ...), the rest stay dense.</param>
/// <param name="CapacityFactor">Training capacity factor cf: switch capacity is int(cf · ceil(S/E)).</param>
/// <param name="EvalCapacityFraction">Evaluation capacity ceil(f · S); a negative value means "use the training capacity".</param>
/// <param name="AuxLossWeight">Weight of the load-balancing loss in the training objective.</param>
/// <param name="SecondExpert">Second-expert policy of the top-2 gate.</param>
/// <param name="Tokenizer">Name of the tokenizer the model was built for ("bytes" or "gpt2").</param>
/// <param name="Domains">
/// The domain gate's experts by domain name, in expert order, comma-separated (see <see cref="Data.DomainRouting"/>); null
/// for other gates and for domain models saved before names were stored, which route a corpus's domains by position.
/// </param>
public sealed record ModelConfig(
    string Preset,
    int VocabularySize,
    int ContextLength,
    int ModelDim,
    int Layers,
    int Heads,
    int FeedForwardDim,
    GateKind Gate,
    int Experts,
    int MoeEvery = 1,
    double CapacityFactor = 1.0,
    double EvalCapacityFraction = 0.25,
    double AuxLossWeight = 0.01,
    SecondExpertPolicy SecondExpert = SecondExpertPolicy.All,
    string Tokenizer = "bytes",
    string? Domains = null)
{
    /// <summary>The preset names accepted by <see cref="FromPreset"/>.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["tiny", "small", "base"];

    /// <summary>Builds a named preset: tiny (tests), small (benchmarks), base.</summary>
    /// <exception cref="ArgumentException">The preset name is unknown.</exception>
    public static ModelConfig FromPreset(string preset, GateKind gate, int vocabularySize, string tokenizer = "bytes") =>
        preset.ToLowerInvariant() switch
        {
            "tiny" => new ModelConfig("tiny", vocabularySize, ContextLength: 32, ModelDim: 32, Layers: 2, Heads: 2,
                FeedForwardDim: 64, gate, Experts: 4, Tokenizer: tokenizer),
            "small" => new ModelConfig("small", vocabularySize, ContextLength: 128, ModelDim: 256, Layers: 4, Heads: 4,
                FeedForwardDim: 1024, gate, Experts: 8, Tokenizer: tokenizer),
            "base" => new ModelConfig("base", vocabularySize, ContextLength: 256, ModelDim: 512, Layers: 8, Heads: 8,
                FeedForwardDim: 2048, gate, Experts: 16, Tokenizer: tokenizer),
            _ => throw new ArgumentException(
                $"Unknown model config '{preset}'. Expected one of: {string.Join(", ", PresetNames)}.", nameof(preset)),
        };

    /// <summary>True when block <paramref name="layerIndex"/> has a MoE feed-forward layer.</summary>
    public bool IsMoeLayer(int layerIndex) =>
        Gate != GateKind.Dense && (MoeEvery <= 1 || layerIndex % MoeEvery == MoeEvery - 1);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistent setting.</summary>
    public ModelConfig Validate()
    {
        Require(VocabularySize > 0, $"VocabularySize must be positive (got {VocabularySize}).");
        Require(ContextLength > 0, $"ContextLength must be positive (got {ContextLength}).");
        Require(ModelDim > 0 && Heads > 0 && ModelDim % Heads == 0,
            $"ModelDim ({ModelDim}) must be a positive multiple of Heads ({Heads}).");
        Require(Layers > 0, $"Layers must be positive (got {Layers}).");
        Require(FeedForwardDim > 0, $"FeedForwardDim must be positive (got {FeedForwardDim}).");
        Require(Gate == GateKind.Dense || Experts > 0, $"Experts must be positive for the {Gate} gate (got {Experts}).");
        Require(MoeEvery >= 1, $"MoeEvery must be at least 1 (got {MoeEvery}).");
        Require(CapacityFactor > 0, $"CapacityFactor must be positive (got {CapacityFactor}).");
        Require(EvalCapacityFraction != 0, "EvalCapacityFraction must be positive, or negative for the training capacity.");
        Require(AuxLossWeight >= 0, $"AuxLossWeight must not be negative (got {AuxLossWeight}).");
        if (Domains is not null)
        {
            var names = Domains.Split(',');
            Require(Gate == GateKind.Domain, $"Domains names the experts of a domain gate; this model's gate is {Gate}.");
            Require(names.Length == Experts, $"Domains names {names.Length} domains ({Domains}) but the model has {Experts} domain experts.");
            Require(names.All(n => n.Length > 0 && n.Trim() == n), $"Domains ({Domains}) has an empty or padded name.");
            Require(names.Distinct(StringComparer.Ordinal).Count() == names.Length, $"Domains ({Domains}) names a domain twice.");
        }
        return this;
    }

    /// <summary>Serialises to indented JSON with enum names as strings.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses JSON written by <see cref="ToJson"/>.</summary>
    /// <exception cref="InvalidDataException">The JSON is not a model config.</exception>
    public static ModelConfig FromJson(string json)
    {
        try
        {
            return (JsonSerializer.Deserialize<ModelConfig>(json, JsonOptions)
                    ?? throw new InvalidDataException("The model config JSON is empty.")).Validate();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The model config JSON is not valid: {e.Message}", e);
        }
    }

    /// <summary>JSON options used for configs and metrics files.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }
}
