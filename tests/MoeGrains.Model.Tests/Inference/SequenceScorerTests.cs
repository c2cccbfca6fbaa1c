using MoeGrains.Model.Inference;
using MoeGrains.Model.Tests.Training;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Inference;

public class SequenceScorerTests
{
    [Fact]
    public async Task Log_probabilities_equal_log_softmax_gathered_by_hand()
    {
        using var model = TinyTraining.NewModel(GateKind.Switch, seed: 4);
        var scorer = new SequenceScorer(LogitsSource.ForModel(model));
        int[] tokens = [.. "Hello, mixture of experts!"u8.ToArray().Select(b => (int)b)];

        var scores = await scorer.ScoreAsync(tokens);

        Assert.Equal(tokens.Length - 1, scores.Length);
        model.eval();
        using var noGrad = no_grad();
        using var input = tensor(tokens[..^1].Select(t => (long)t).ToArray(), [1, tokens.Length - 1]);
        using var logits = model.Forward(input, dropless: true).Logits;
        var logProbs = nn.functional.log_softmax(logits[0].to(ScalarType.Float64), 1);
        for (var i = 0; i < scores.Length; i++)
            Assert.Equal(logProbs[i, tokens[i + 1]].item<double>(), scores[i], 12);
    }

    [Fact]
    public async Task Long_sequences_are_scored_in_windows_and_bad_input_is_rejected()
    {
        using var model = TinyTraining.NewModel(GateKind.Hash, seed: 4);
        var scorer = new SequenceScorer(LogitsSource.ForModel(model));
        var tokens = Enumerable.Range(0, 3 * model.Config.ContextLength + 5).Select(i => (i * 7) % 200).ToArray();
        var scores = await scorer.ScoreAsync(tokens);
        Assert.Equal(tokens.Length - 1, scores.Length);
        Assert.All(scores, s => Assert.True(s < 0 && double.IsFinite(s)));

        var e = await Assert.ThrowsAsync<ArgumentException>(() => scorer.ScoreAsync([5]));
        Assert.Contains("at least 2 tokens", e.Message);
        e = await Assert.ThrowsAsync<ArgumentException>(() => scorer.ScoreAsync([5, -1]));
        Assert.Contains("Token id -1", e.Message);
    }
}
