namespace MoeGrains.Abstractions.Domains;

/// <summary>Perplexity of one evaluation domain under every single expert and the mixtures.</summary>
/// <param name="Domain">The evaluation domain.</param>
/// <param name="Tokens">Predicted tokens.</param>
/// <param name="Experts">Each single expert's perplexity.</param>
/// <param name="Uniform">Uniform-prior mixture.</param>
/// <param name="Updating">Updating-prior mixture.</param>
/// <param name="Cached">Cached-prior mixture.</param>
/// <param name="TopK">Top-k mixture of the cached prior, or null.</param>
/// <param name="Prior">The domain's cached prior (its domain posterior) by expert.</param>
[GenerateSerializer, Immutable, Alias("moe.DomainMixtureResult")]
public sealed record DomainMixtureResult(
    [property: Id(0)] string Domain,
    [property: Id(1)] long Tokens,
    [property: Id(2)] IReadOnlyDictionary<string, double> Experts,
    [property: Id(3)] double Uniform,
    [property: Id(4)] double Updating,
    [property: Id(5)] double Cached,
    [property: Id(6)] double? TopK,
    [property: Id(7)] IReadOnlyDictionary<string, double> Prior);

/// <summary>A mixture evaluation through the cluster, on the mixture version it pinned.</summary>
/// <param name="Version">The mixture version evaluated.</param>
/// <param name="Experts">The experts, in mixture order.</param>
/// <param name="TopK">k of the top-k column, or null.</param>
/// <param name="Domains">One result per evaluation domain.</param>
[GenerateSerializer, Immutable, Alias("moe.DomainMixtureEvaluation")]
public sealed record DomainMixtureEvaluation(
    [property: Id(0)] int Version,
    [property: Id(1)] IReadOnlyList<string> Experts,
    [property: Id(2)] int? TopK,
    [property: Id(3)] IReadOnlyList<DomainMixtureResult> Domains);
