namespace MoeGrains.Abstractions.Inference;

/// <summary>One generated token, streamed as it comes.</summary>
/// <param name="TokenId">The token id.</param>
/// <param name="Text">Its decoded text (may be empty for a partial multi-byte character).</param>
[GenerateSerializer, Immutable, Alias("moe.GeneratedToken")]
public sealed record GeneratedToken([property: Id(0)] int TokenId, [property: Id(1)] string Text);
