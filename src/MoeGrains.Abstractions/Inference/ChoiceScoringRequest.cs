namespace MoeGrains.Abstractions.Inference;

/// <summary>Zero-shot multiple-choice scoring of a labelled task.</summary>
/// <param name="Items">The items; every one needs a label.</param>
/// <param name="Methods">Method names: lm, avg, pmi, pmi-dc, domain-cond, channel, direct++.</param>
/// <param name="Seed">Seeds the bootstrap interval.</param>
[GenerateSerializer, Immutable, Alias("moe.ChoiceScoringRequest")]
public sealed record ChoiceScoringRequest(
    [property: Id(0)] IReadOnlyList<MultipleChoiceItem> Items,
    [property: Id(1)] IReadOnlyList<string> Methods,
    [property: Id(2)] int Seed = 0);
