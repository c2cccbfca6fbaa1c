using MoeGrains.Model.Data;
using MoeGrains.Model.Inference;
using MoeGrains.Model.Scoring;

namespace MoeGrains.Model.Tests.Scoring;

public class ScoringMethodTests
{
    private static readonly ChoiceItem Item = new(
        "The King said that", [" people", " war was over", " a"], Label: 0, DomainPremise: " the");

    [Fact]
    public async Task Every_method_equals_its_formula_from_the_models_token_log_probabilities()
    {
        var model = TrainedTinyModel.Model;
        var scorer = new MultipleChoiceScorer(new BatchedContinuationScorer(LogitsSource.ForModel(model)), new ByteTokenizer());

        var scores = (await scorer.ScoreAsync([Item], ScoringMethods.All))[0];

        for (var j = 0; j < Item.Choices.Count; j++)
        {
            var y = Item.Choices[j];
            var direct = HandScores.LogProbs(model, Item.Context, y);
            var nullContext = HandScores.LogProbs(model, ":", y);
            var premise = HandScores.LogProbs(model, " the", y);
            var calibration = HandScores.LogProbs(model, "N/A", y);
            var channel = HandScores.LogProbs(model, y.TrimStart(), " " + Item.Context);
            AssertClose(direct.Sum(), scores.Scores[ScoringMethod.Lm][j]);
            AssertClose(direct.Sum() / y.Length, scores.Scores[ScoringMethod.Avg][j]);
            AssertClose(direct.Sum() - nullContext.Sum(), scores.Scores[ScoringMethod.Pmi][j]);
            AssertClose(direct.Sum() - premise.Sum(), scores.Scores[ScoringMethod.PmiDc][j]);
            AssertClose(premise.Sum(), scores.Scores[ScoringMethod.DomainCond][j]);
            AssertClose(channel.Sum() / channel.Length, scores.Scores[ScoringMethod.Channel][j]);
            AssertClose(direct.Sum() / y.Length - calibration.Sum() / y.Length, scores.Scores[ScoringMethod.DirectPlusPlus][j]);
        }
    }

    [Fact]
    public async Task Sums_and_means_rank_choices_of_different_lengths_differently_and_both_are_kept()
    {
        // Sums punish the long choice for every extra token; means do not. On a trained model the two-byte
        // choice " a" has a far higher total than the 13-byte one, but not a far higher mean.
        var model = TrainedTinyModel.Model;
        var scorer = new MultipleChoiceScorer(new BatchedContinuationScorer(LogitsSource.ForModel(model)), new ByteTokenizer());
        var scores = (await scorer.ScoreAsync([Item], [ScoringMethod.Lm, ScoringMethod.Avg]))[0];
        var sums = scores.Scores[ScoringMethod.Lm];
        var means = scores.Scores[ScoringMethod.Avg];
        for (var j = 0; j < Item.Choices.Count; j++) AssertClose(sums[j] / Item.Choices[j].Length, means[j]);
        Assert.True(sums[2] > sums[1], $"the short choice should win on sums: {sums[2]} vs {sums[1]}");
    }

    [Fact]
    public void Argmax_breaks_ties_towards_the_first_choice()
    {
        Assert.Equal(1, ScoringFormulas.ArgMax([-3.0, -1.0, -1.0]));
        Assert.Equal(0, ScoringFormulas.ArgMax([2.0]));
    }

    [Fact]
    public void Method_names_round_trip_and_all_skips_domain_methods_without_premises()
    {
        foreach (var method in ScoringMethods.All) Assert.Equal(method, ScoringMethods.Parse(method.Name()));
        Assert.Equal(["lm", "avg", "pmi", "pmi-dc", "domain-cond", "channel", "direct++"], ScoringMethods.All.Select(m => m.Name()));
        Assert.Contains("Unknown scoring method 'bogus'", Assert.Throws<ArgumentException>(() => ScoringMethods.Parse("bogus")).Message);
        var plain = new ChoiceItem("x", [" a", " b"], 0);
        Assert.DoesNotContain(ScoringMethod.PmiDc, ScoringMethods.Resolve("all", [plain]));
        Assert.Contains(ScoringMethod.PmiDc, ScoringMethods.Resolve("all", [plain with { DomainPremise = " so" }]));
        Assert.Equal([ScoringMethod.Channel], ScoringMethods.Resolve("channel", [plain]));
    }

    [Fact]
    public async Task Items_without_a_needed_premise_or_label_are_refused_by_line_before_scoring()
    {
        var counting = new CountingScorer();
        var scorer = new MultipleChoiceScorer(counting, new ByteTokenizer());
        var items = new[] { new ChoiceItem("x y", [" a", " b"], 0, " so", Line: 1), new ChoiceItem("x z", [" a", " b"], 1, Line: 2) };
        var e = await Assert.ThrowsAsync<ArgumentException>(() => scorer.ScoreAsync(items, [ScoringMethod.PmiDc]));
        Assert.Contains("line 2", e.Message);
        e = await Assert.ThrowsAsync<ArgumentException>(() =>
            MultipleChoiceEvaluation.EvaluateAsync(counting, new ByteTokenizer(), [items[0], items[1] with { Label = null }], [ScoringMethod.Lm]));
        Assert.Contains("line 2", e.Message);
        Assert.Equal(0, counting.Calls);
    }

    // The scorer batches all sequences in one forward, the hand formula runs each alone: float32 rounding differs slightly.
    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 2e-5 * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");

    private sealed class CountingScorer : IContinuationScorer
    {
        public int Calls { get; private set; }

        public int ContextLength => 32;

        public Task<IReadOnlyList<double[]>> ScoreAsync(IReadOnlyList<ContinuationRequest> requests, CancellationToken cancellationToken = default)
        {
            Calls++;
            return Task.FromResult<IReadOnlyList<double[]>>([.. requests.Select(r => new double[r.Continuation.Count])]);
        }
    }
}
