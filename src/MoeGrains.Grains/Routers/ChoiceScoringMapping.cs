using MoeGrains.Abstractions.Inference;
using MoeGrains.Model.Scoring;

namespace MoeGrains.Grains.Routers;

/// <summary>Wire records of multiple-choice scoring ↔ the model library's types.</summary>
internal static class ChoiceScoringMapping
{
    public static IReadOnlyList<ChoiceItem> ToItems(ChoiceScoringRequest request)
    {
        if (request.Items is null || request.Items.Count == 0) throw new ArgumentException("There are no items to score.");
        return [.. request.Items.Select(i => new ChoiceItem(i.Context, i.Choices, i.Label, i.DomainPremise, i.Domain, i.Line))];
    }

    public static IReadOnlyList<ScoringMethod> ToMethods(ChoiceScoringRequest request)
    {
        if (request.Methods is null || request.Methods.Count == 0) throw new ArgumentException("No scoring method was requested.");
        return [.. request.Methods.Select(ScoringMethods.Parse)];
    }

    public static IReadOnlyList<MethodAccuracyResult> ToResults(IReadOnlyList<MethodAccuracy> report) =>
        [.. report.Select(r => new MethodAccuracyResult(r.Method.Name(), r.Accuracy, r.Low, r.High, r.Count, r.Predictions))];
}
