using MoeGrains.Abstractions.Inference;
using MoeGrains.Abstractions.Models;
using MoeGrains.Grains.Routers;
using MoeGrains.Model;
using MoeGrains.Model.Data;
using MoeGrains.Model.Inference;
using MoeGrains.Model.Scoring;
using static TorchSharp.torch;

namespace MoeGrains.Cluster.Tests.Equivalence;

/// <summary>Multiple-choice and text scoring through the router grain equal the in-process scorers on the same model.</summary>
public sealed class ChoiceScoringEquivalenceTests(ModelClusterFixture fixture) : IClassFixture<ModelClusterFixture>
{
    private const int Seed = 11;

    private static readonly ChoiceItem[] Items =
    [
        new("The man broke his toe because", [" he dropped a hammer.", " he got a hole in his sock."], 0, " because", Line: 1),
        new("I tipped the bottle so", [" the liquid froze.", " the liquid poured out."], 1, " so", Line: 2),
        new("The King said that", [" the war was over.", " fish swim.", " 42"], 0, " that", Line: 3),
        new("def main():", ["\n    return 0", " banana"], 0, ":", Line: 4),
    ];

    [Theory]
    [InlineData("switch")]
    [InlineData("top2")]
    public async Task ScoreChoicesAsync_and_ScoreAsync_equal_the_in_process_scorers(string gate)
    {
        var name = $"score-{gate}";
        var spec = new ModelSpec("tiny", gate, Seed: Seed);
        await fixture.Client.CreateModelAsync(name, spec);
        var config = ModelSpecs.ToConfig(spec);
        manual_seed(Seed);
        using var reference = new MoeLanguageModel(config);
        var tokenizer = TokenizerFactory.Create(config.Tokenizer);

        var request = new ChoiceScoringRequest(
            [.. Items.Select(i => new MultipleChoiceItem(i.Context, i.Choices, i.Label, i.DomainPremise, i.Domain, i.Line))],
            [.. ScoringMethods.All.Select(m => m.Name())], Seed: 3);
        var cluster = await fixture.Client.ScoreChoicesAsync(name, request);
        var expected = await MultipleChoiceEvaluation.EvaluateAsync(
            new BatchedContinuationScorer(LogitsSource.ForModel(reference)), tokenizer, Items, ScoringMethods.All, seed: 3);

        Assert.Equal(expected.Select(e => e.Method.Name()), cluster.Select(c => c.Method));
        for (var m = 0; m < expected.Count; m++)
        {
            Assert.Equal(expected[m].Predictions, cluster[m].Predictions);
            Assert.Equal((expected[m].Accuracy, expected[m].Low, expected[m].High, expected[m].Count),
                (cluster[m].Accuracy, cluster[m].Low, cluster[m].High, cluster[m].Count));
        }

        // Enough windows for several forwards of 16, so the router keeps forwards in flight (RouterGrain.ScoringForwardsInFlight).
        string[] texts = ["The King said that the war was over and the people went home to their farms.", "ok", new string('z', 70),
            .. Enumerable.Range(0, 12).Select(i => $"Text {i}: the committee reported that the budget for year {2000 + i} had grown by {i * 7} percent over the plan.")];
        var remote = await fixture.Client.ScoreAsync(name, texts);
        var local = await new SequenceScorer(LogitsSource.ForModel(reference)).ScoreManyAsync([.. texts.Select(tokenizer.Encode)]);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(local[i].Length, remote[i].LogProbabilities.Count);
            for (var k = 0; k < local[i].Length; k++)
                Assert.True(Math.Abs(local[i][k] - remote[i].LogProbabilities[k]) <= 1e-6, $"text {i} token {k}: {local[i][k]} vs {remote[i].LogProbabilities[k]}");
        }

        var bad = request with { Items = [request.Items[0] with { Label = 7 }] };
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => fixture.Client.ScoreChoicesAsync(name, bad));
        Assert.Contains("line 1: label 7 is out of range", error.Message);
    }
}
