using MoeGrains.Abstractions.Inference;

namespace MoeGrains.Abstractions.Domains;

/// <summary>Zero-shot multiple-choice scoring of a labelled task over a model's mixture of domain experts.</summary>
/// <param name="Task">The items, methods and bootstrap seed, as for a single model.</param>
/// <param name="Mixture"><c>uniform</c>, <c>cached</c> (the cached prior of each item's domain) or <c>topk:K</c> (its K highest-prior experts, renormalised).</param>
/// <param name="Dataset">
/// For cached and top-k: a dataset whose valid split estimates the prior of a domain the mixture version has no cached
/// prior for; null: such a domain is an error.
/// </param>
[GenerateSerializer, Immutable, Alias("moe.MixtureChoiceScoringRequest")]
public sealed record MixtureChoiceScoringRequest(
    [property: Id(0)] ChoiceScoringRequest Task,
    [property: Id(1)] string Mixture,
    [property: Id(2)] string? Dataset = null);
