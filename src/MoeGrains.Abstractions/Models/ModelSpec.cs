namespace MoeGrains.Abstractions.Models;

/// <summary>What model to create: a preset plus optional overrides.</summary>
/// <param name="Preset">tiny | small | base.</param>
/// <param name="Gate">dense | switch | top2 | base | hash | domain.</param>
/// <param name="Tokenizer">bytes | gpt2.</param>
/// <param name="Seed">Seeds the initial weights (the same seed gives the same model as an in-process run).</param>
/// <param name="Experts">Experts per MoE layer; null keeps the preset's.</param>
/// <param name="MoeEvery">1: every block has a MoE layer, 2: every other block; null keeps 1.</param>
/// <param name="Domains">A domain gate's experts by domain name, in expert order (one expert each); null: <paramref name="Experts"/> experts routed by the dataset's domain order.</param>
[GenerateSerializer, Immutable, Alias("moe.ModelSpec")]
public sealed record ModelSpec(
    [property: Id(0)] string Preset,
    [property: Id(1)] string Gate,
    [property: Id(2)] string Tokenizer = "bytes",
    [property: Id(3)] int Seed = 1234,
    [property: Id(4)] int? Experts = null,
    [property: Id(5)] int? MoeEvery = null,
    [property: Id(6)] IReadOnlyList<string>? Domains = null);
