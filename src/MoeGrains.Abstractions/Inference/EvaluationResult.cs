namespace MoeGrains.Abstractions.Inference;

/// <summary>Per-domain perplexity of a dataset split.</summary>
/// <param name="Domains">One entry per domain, in dataset order.</param>
/// <param name="Overall">Over every token of every domain.</param>
[GenerateSerializer, Immutable, Alias("moe.EvaluationResult")]
public sealed record EvaluationResult([property: Id(0)] IReadOnlyList<DomainPerplexity> Domains, [property: Id(1)] DomainPerplexity Overall);
