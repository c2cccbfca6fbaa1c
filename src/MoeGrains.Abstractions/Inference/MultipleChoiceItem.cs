namespace MoeGrains.Abstractions.Inference;

/// <summary>One multiple-choice item on the wire (see the task formats in the README).</summary>
/// <param name="Context">x: the text before the answer.</param>
/// <param name="Choices">The candidate continuations, scored after the context as written.</param>
/// <param name="Label">Index of the right choice; accuracy needs it on every item.</param>
/// <param name="DomainPremise">x_d for pmi-dc and domain-cond.</param>
/// <param name="Domain">The item's domain name (for mixtures of domain experts).</param>
/// <param name="Line">The task file line the item came from, for error messages (0 = none).</param>
[GenerateSerializer, Immutable, Alias("moe.MultipleChoiceItem")]
public sealed record MultipleChoiceItem(
    [property: Id(0)] string Context,
    [property: Id(1)] IReadOnlyList<string> Choices,
    [property: Id(2)] int? Label = null,
    [property: Id(3)] string? DomainPremise = null,
    [property: Id(4)] string? Domain = null,
    [property: Id(5)] int Line = 0);
