namespace MoeGrains.Abstractions.Inference;

/// <summary>Text generation settings.</summary>
/// <param name="Prompt">The text to continue; must not be empty.</param>
/// <param name="MaxTokens">Tokens to generate.</param>
/// <param name="Temperature">0 ⇒ greedy; otherwise softmax temperature.</param>
/// <param name="TopK">Keep the k most likely tokens (0 = off).</param>
/// <param name="TopP">Nucleus: keep the smallest set with cumulative probability ≥ p (1 = off).</param>
/// <param name="Seed">Seeds sampling.</param>
[GenerateSerializer, Immutable, Alias("moe.GenerationRequest")]
public sealed record GenerationRequest(
    [property: Id(0)] string Prompt,
    [property: Id(1)] int MaxTokens = 64,
    [property: Id(2)] double Temperature = 0,
    [property: Id(3)] int TopK = 0,
    [property: Id(4)] double TopP = 1,
    [property: Id(5)] int Seed = 0);
