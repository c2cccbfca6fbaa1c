using MoeGrains.Model.Data;
using MoeGrains.Model.Scoring;

namespace MoeGrains.Model.Tests.Scoring;

public class SurfaceFormCompetitionTests
{
    /// <summary>
    /// Log-probabilities from a table: P(choice | context) per (context, choice) text, spread evenly over the choice's
    /// tokens. A deterministic stand-in for a model whose probability mass is split between surface forms.
    /// </summary>
    private sealed class TableScorer(Dictionary<(string Context, string Choice), double> totals) : IContinuationScorer
    {
        private readonly ByteTokenizer tokenizer = new();

        public int ContextLength => 128;

        public Task<IReadOnlyList<double[]>> ScoreAsync(IReadOnlyList<ContinuationRequest> requests, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<double[]>>([.. requests.Select(r =>
            {
                var key = (tokenizer.Decode([.. r.Context]), tokenizer.Decode([.. r.Continuation]));
                var total = totals.TryGetValue(key, out var value) ? value : -50;
                return Enumerable.Repeat(total / r.Continuation.Count, r.Continuation.Count).ToArray();
            })]);
    }

    [Fact]
    public async Task Lm_prefers_the_frequent_surface_form_and_pmi_dc_the_answer_the_context_supports()
    {
        // "the man broke his toe because he dropped a hammer": the right answer is the rarer string; the wrong one is a
        // generic clause that is likely after any " because" — its probability comes from the domain, not the premise.
        const string context = "The man broke his toe because";
        var item = new ChoiceItem(context, [" he dropped a hammer on his foot.", " he was tired."], Label: 0, DomainPremise: " because");
        var scorer = new TableScorer(new()
        {
            [(context, " he dropped a hammer on his foot.")] = -14.0,
            [(context, " he was tired.")] = -9.0,
            [(" because", " he dropped a hammer on his foot.")] = -22.0,
            [(" because", " he was tired.")] = -8.5,
        });

        var report = await MultipleChoiceEvaluation.EvaluateAsync(scorer, new ByteTokenizer(), [item], [ScoringMethod.Lm, ScoringMethod.PmiDc]);

        Assert.Equal(1, report.Single(r => r.Method == ScoringMethod.Lm).Predictions[0]);
        Assert.Equal(0.0, report.Single(r => r.Method == ScoringMethod.Lm).Accuracy);
        Assert.Equal(0, report.Single(r => r.Method == ScoringMethod.PmiDc).Predictions[0]);
        Assert.Equal(1.0, report.Single(r => r.Method == ScoringMethod.PmiDc).Accuracy);
    }
}
