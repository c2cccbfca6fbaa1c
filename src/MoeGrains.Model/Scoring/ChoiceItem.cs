namespace MoeGrains.Model.Scoring;

/// <summary>One multiple-choice item, as the scoring methods see it (text, not tokens).</summary>
/// <param name="Context">x: the text before the answer.</param>
/// <param name="Choices">y_i: the candidate continuations, each scored after the context as written (include a leading space where one belongs).</param>
/// <param name="Label">The index of the right choice, when known.</param>
/// <param name="DomainPremise">x_d: the domain premise of pmi-dc and domain-cond (for COPA " because" or " so").</param>
/// <param name="Domain">The item's domain name, for mixtures of domain experts; a single model ignores it.</param>
/// <param name="Line">The line of the task file the item came from (1-based; 0 when it did not come from a file).</param>
public sealed record ChoiceItem(string Context, IReadOnlyList<string> Choices, int? Label = null, string? DomainPremise = null,
    string? Domain = null, int Line = 0)
{
    /// <summary>"line N" or "item N" for error messages.</summary>
    internal string Where(int index) => Line > 0 ? $"line {Line}" : $"item {index}";
}
