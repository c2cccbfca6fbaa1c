using MoeGrains.Model.Data;
using MoeGrains.Model.Inference;
using MoeGrains.Model.Scoring;
using MoeGrains.Model.Tests.Training;

namespace MoeGrains.Model.Tests.Scoring;

public class BatchedScoringTests
{
    private static ContinuationRequest Request(string context, string continuation) =>
        new([.. context.Select(c => (int)c)], [.. continuation.Select(c => (int)c)]);

    private static readonly ContinuationRequest[] Requests =
    [
        Request("The King said", " that"),
        Request("In the beginning was the word, and the word", " was with God"),
        Request("x", " y"),
        Request("Proteins fold into", " shapes that decide"),
        Request("def main():", "\n    return 0"),
        Request("A", "B"),
        Request("The committee reported that the budget had", " grown"),
    ];

    [Theory]
    [InlineData(GateKind.Switch)]
    [InlineData(GateKind.Top2)]
    [InlineData(GateKind.Base)]
    [InlineData(GateKind.Hash)]
    public async Task Scoring_many_sequences_per_forward_equals_scoring_each_alone(GateKind gate)
    {
        // Switch and top-2 capacities grow with the batch's token count; dropless inference keeps each row independent.
        using var model = TinyTraining.NewModel(gate, seed: 5);
        var source = LogitsSource.ForModel(model);
        var batched = await new BatchedContinuationScorer(source, rowsPerForward: 16).ScoreAsync(Requests);
        var pairs = await new BatchedContinuationScorer(source, rowsPerForward: 2).ScoreAsync(Requests);
        var alone = new List<double[]>();
        foreach (var request in Requests) alone.Add((await new BatchedContinuationScorer(source, 1).ScoreAsync([request]))[0]);

        for (var i = 0; i < Requests.Length; i++)
        {
            Assert.Equal(Requests[i].Continuation.Count, batched[i].Length);
            for (var k = 0; k < batched[i].Length; k++)
            {
                Assert.True(Math.Abs(alone[i][k] - batched[i][k]) < 1e-5, $"{gate} request {i} token {k}: alone {alone[i][k]} batched {batched[i][k]}");
                Assert.True(Math.Abs(alone[i][k] - pairs[i][k]) < 1e-5, $"{gate} request {i} token {k}: alone {alone[i][k]} pairs {pairs[i][k]}");
            }
        }
    }

    [Fact]
    public async Task Forwards_in_flight_overlap_on_an_asynchronous_source_and_score_exactly_as_one_at_a_time()
    {
        using var model = TinyTraining.NewModel(GateKind.Switch, seed: 5);
        var inner = LogitsSource.ForModel(model);
        var (running, mostRunning) = (0, 0);
        var source = new LogitsSource(async (tokens, ct) =>
        {
            mostRunning = Math.Max(mostRunning, Interlocked.Increment(ref running));
            try
            {
                await Task.Delay(20, ct);
                return await inner.LogitsAsync(tokens, ct);
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }, inner.ContextLength, inner.VocabularySize);

        var sequential = await new BatchedContinuationScorer(inner, rowsPerForward: 2).ScoreAsync(Requests);
        var overlapped = await new BatchedContinuationScorer(source, rowsPerForward: 2, forwardsInFlight: 2).ScoreAsync(Requests);

        Assert.Equal(2, mostRunning); // 7 requests in 4 forwards, two at a time
        for (var i = 0; i < Requests.Length; i++) Assert.Equal(sequential[i], overlapped[i]);
    }

    [Fact]
    public async Task A_failing_forward_fails_the_call_after_the_other_forwards_in_flight_have_finished()
    {
        using var model = TinyTraining.NewModel(GateKind.Switch, seed: 5);
        var inner = LogitsSource.ForModel(model);
        var (calls, running) = (0, 0);
        var source = new LogitsSource(async (tokens, ct) =>
        {
            var call = Interlocked.Increment(ref calls);
            Interlocked.Increment(ref running);
            try
            {
                await Task.Delay(call == 2 ? 5 : 50, ct);
                if (call == 2) throw new InvalidOperationException("expert 3 is gone");
                return await inner.LogitsAsync(tokens, ct);
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }, inner.ContextLength, inner.VocabularySize);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new BatchedContinuationScorer(source, rowsPerForward: 2, forwardsInFlight: 3).ScoreAsync(Requests));
        Assert.Equal("expert 3 is gone", error.Message);
        Assert.Equal(0, running);
    }

    [Fact]
    public async Task Sequence_scoring_of_many_texts_equals_scoring_each_text_alone()
    {
        using var model = TinyTraining.NewModel(GateKind.Switch, seed: 6);
        var scorer = new SequenceScorer(LogitsSource.ForModel(model));
        int[][] texts = [.. new[] { "Hello, mixture of experts!", new string('a', 80) + " and then some more text", "ok" }
            .Select(t => t.Select(c => (int)c).ToArray())];
        var many = await scorer.ScoreManyAsync(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var alone = await new SequenceScorer(LogitsSource.ForModel(model), rowsPerForward: 1).ScoreAsync(texts[i]);
            Assert.Equal(alone.Length, many[i].Length);
            for (var k = 0; k < alone.Length; k++) Assert.True(Math.Abs(alone[k] - many[i][k]) < 1e-5, $"text {i} token {k}");
        }
    }

    [Fact]
    public async Task The_context_is_left_truncated_so_context_and_continuation_fit_the_window()
    {
        var model = TrainedTinyModel.Model; // window 32
        var window = model.Config.ContextLength;
        Assert.Equal(32, window);
        Assert.Equal(5, ContinuationWindow.KeptContext(5, 10, window));
        Assert.Equal(window + 1 - 10, ContinuationWindow.KeptContext(100, 10, window));
        Assert.Equal(1, ContinuationWindow.KeptContext(100, window, window));
        Assert.Contains("does not fit", Assert.Throws<ArgumentException>(() => ContinuationWindow.KeptContext(3, window + 1, window)).Message);

        var longContext = "It was the best of times, it was the worst of times, it was the age of wisdom";
        const string continuation = " it was the age";
        var scorer = new BatchedContinuationScorer(LogitsSource.ForModel(model));
        var truncated = (await scorer.ScoreAsync([Request(longContext, continuation)]))[0];
        var expected = HandScores.LogProbs(model, longContext[^(window + 1 - continuation.Length)..], continuation);
        for (var k = 0; k < expected.Length; k++) Assert.True(Math.Abs(expected[k] - truncated[k]) < 1e-5, $"token {k}");

        var tooLong = new ChoiceItem("context", [new string('y', window + 1), " b"], 0, Line: 7);
        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            new MultipleChoiceScorer(scorer, new ByteTokenizer()).ScoreAsync([tooLong], [ScoringMethod.Lm]));
        Assert.Contains("line 7, choice 0", e.Message);
    }
}
