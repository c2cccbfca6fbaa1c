using MoeGrains.Model.Data;

namespace MoeGrains.Model.Scoring;

/// <summary>Accuracy of each method on a labelled task, with a seeded 95 % bootstrap interval — the same code in-process and in the cluster.</summary>
public static class MultipleChoiceEvaluation
{
    /// <summary>Scores <paramref name="items"/> with <paramref name="methods"/> and reports each method's accuracy, interval and n.</summary>
    /// <exception cref="ArgumentException">An item without a label or with a label out of range (named by line), or any scoring error.</exception>
    public static Task<IReadOnlyList<MethodAccuracy>> EvaluateAsync(IContinuationScorer scorer, ITokenizer tokenizer, IReadOnlyList<ChoiceItem> items,
        IReadOnlyList<ScoringMethod> methods, int seed = 0, CancellationToken cancellationToken = default)
    {
        var choices = new MultipleChoiceScorer(scorer, tokenizer);
        return EvaluateAsync(choices.ScoreAsync, items, methods, seed, cancellationToken);
    }

    /// <summary>
    /// Checks every label, scores the items with <paramref name="score"/> (per item, each method's score of each choice, in
    /// item order) and reports each method's accuracy, interval and n.
    /// </summary>
    /// <exception cref="ArgumentException">An item without a label or with a label out of range (named by line), or any scoring error.</exception>
    public static async Task<IReadOnlyList<MethodAccuracy>> EvaluateAsync(
        Func<IReadOnlyList<ChoiceItem>, IReadOnlyList<ScoringMethod>, CancellationToken, Task<IReadOnlyList<ItemScores>>> score,
        IReadOnlyList<ChoiceItem> items, IReadOnlyList<ScoringMethod> methods, int seed = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(methods);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item?.Label is not { } label)
                throw new ArgumentException($"{item?.Where(i) ?? $"item {i}"}: the item has no label; accuracy needs a label on every item.");
            if (label < 0 || label >= item.Choices.Count)
                throw new ArgumentException($"{item.Where(i)}: label {label} is out of range for {item.Choices.Count} choices.");
        }
        var scores = await score(items, methods, cancellationToken).ConfigureAwait(false);
        var report = new List<MethodAccuracy>();
        foreach (var method in methods.Distinct())
        {
            var predictions = scores.Select(s => s.Prediction(method)).ToArray();
            var correct = predictions.Select((p, i) => p == items[i].Label).ToArray();
            var (low, high) = BootstrapInterval.Compute(correct, BootstrapInterval.DefaultResamples, seed);
            report.Add(new MethodAccuracy(method, correct.Count(c => c) / (double)correct.Length, low, high, correct.Length, predictions));
        }
        return report;
    }
}
