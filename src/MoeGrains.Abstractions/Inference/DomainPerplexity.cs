namespace MoeGrains.Abstractions.Inference;

/// <summary>Perplexity over one domain's tokens.</summary>
/// <param name="Domain">Domain name, or "overall".</param>
/// <param name="Perplexity">exp(mean token NLL).</param>
/// <param name="Tokens">Predicted tokens.</param>
[GenerateSerializer, Immutable, Alias("moe.DomainPerplexity")]
public sealed record DomainPerplexity([property: Id(0)] string Domain, [property: Id(1)] double Perplexity, [property: Id(2)] long Tokens);
