using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Domains;

public class MixtureMathTests
{
    // two experts, one block of three targets: p1 = (0.5, 0.2, 0.1), p2 = (0.1, 0.4, 0.3), prior (0.25, 0.75)
    private static Tensor HandLogProbs() => tensor(new[] { 0.5, 0.2, 0.1, 0.1, 0.4, 0.3 }, [2, 1, 3]).log();

    [Fact]
    public void Mixture_weights_and_probabilities_match_a_hand_computation()
    {
        using var scope = NewDisposeScope();
        var (mixed, last) = MixtureMath.Mix(HandLogProbs(), tensor(new[] { 0.25, 0.75 }));
        var p = mixed.exp()[0].data<double>().ToArray();
        Assert.Equal(0.5 * 0.5 + 0.5 * 0.1, p[0], 12);                 // w_0 = 1/E whatever the prior
        Assert.Equal(0.625 * 0.2 + 0.375 * 0.4, p[1], 12);             // w ∝ (0.25·0.5, 0.75·0.1)
        Assert.Equal((1.0 / 7) * 0.1 + (6.0 / 7) * 0.3, p[2], 12);     // w ∝ (0.25·0.2, 0.75·0.4)
        var posterior = last[0].data<double>().ToArray();
        Assert.Equal(0.1, posterior[0], 12);                            // ∝ (0.25·0.1, 0.75·0.3)
        Assert.Equal(0.9, posterior[1], 12);
    }

    [Fact]
    public void Updating_prior_takes_in_three_tenths_of_the_mean_last_posterior()
    {
        using var scope = NewDisposeScope();
        var updated = MixtureMath.UpdatePrior(tensor(new[] { 0.25, 0.75 }), tensor(new[] { 0.1, 0.9, 0.3, 0.7 }, [2, 2]));
        var prior = updated.data<double>().ToArray();
        Assert.Equal(0.3 * 0.2 + 0.7 * 0.25, prior[0], 12);
        Assert.Equal(0.3 * 0.8 + 0.7 * 0.75, prior[1], 12);
    }

    [Fact]
    public void An_updating_mixture_moves_its_prior_after_every_two_rows_as_the_DEMix_code_does()
    {
        using var scope = NewDisposeScope();
        // 2 experts, 5 rows, 3 positions: expert a likelier on the odd rows, b on the even ones, by different amounts.
        var logProbs = tensor(Enumerable.Range(0, 2 * 5 * 3).Select(i => -1.0 - (i % 7) * 0.3 - (i / 15) * 0.2).ToArray(), [2, 5, 3]);
        var start = new[] { 0.5, 0.5 };

        var (mixed, prior) = MixtureMath.MixUpdating(logProbs, start);

        var expected = tensor(start);
        var rows = new List<Tensor>();
        foreach (var (first, count) in new[] { (0L, 2L), (2L, 2L), (4L, 1L) })
        {
            var (part, last) = MixtureMath.Mix(logProbs.narrow(1, first, count), expected);
            rows.Add(part);
            expected = MixtureMath.UpdatePrior(expected, last);
        }
        Assert.Equal(cat(rows, 0).data<double>().ToArray(), mixed.data<double>().ToArray(), new ToleranceComparer(1e-12));
        Assert.Equal(expected.data<double>().ToArray(), prior, new ToleranceComparer(1e-12));
        var (_, oneUpdate) = MixtureMath.Mix(logProbs, tensor(start));
        var once = MixtureMath.UpdatePrior(tensor(start), oneUpdate).data<double>().ToArray();
        Assert.True(Math.Abs(once[0] - prior[0]) > 1e-3, $"three updates ({prior[0]:F6}) must differ from one over all five rows ({once[0]:F6})");
    }

    [Fact]
    public void Top_k_keeps_the_largest_prior_weights_renormalised()
    {
        var (indices, prior) = MixtureMath.TopK([0.2, 0.5, 0.3], 2);
        Assert.Equal([1, 2], indices);
        Assert.Equal(0.625, prior[0], 12);
        Assert.Equal(0.375, prior[1], 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => MixtureMath.TopK([0.5, 0.5], 3));
    }

    [Fact]
    public async Task An_updating_mixture_moves_its_prior_after_each_batch_and_a_cached_one_does_not()
    {
        var scorers = HandScorers();
        var updating = new DomainMixture(scorers, new MixtureSettings(PriorMode.Updating));
        using (var batch = OneBlock())
        using (var mixed = await updating.ScoreAsync(batch))
            Assert.Equal(Math.Log(0.3), mixed[0, 0].item<double>(), 12);
        // uniform prior: last posterior ∝ (0.1, 0.3) = (0.25, 0.75); new prior 0.3·that + 0.7·0.5
        Assert.Equal(0.3 * 0.25 + 0.35, updating.Prior[0], 12);
        Assert.Equal(0.3 * 0.75 + 0.35, updating.Prior[1], 12);

        var cached = new DomainMixture(scorers, new MixtureSettings(PriorMode.Cached), [1, 3]);
        using (var batch = OneBlock())
        using (var mixed = await cached.ScoreAsync(batch))
            Assert.Equal(Math.Log(0.275), mixed[0, 1].item<double>(), 12);
        Assert.Equal([0.25, 0.75], cached.Prior);
        Assert.Equal(2, cached.ExpertCalls);
    }

    [Fact]
    public async Task Top_one_calls_only_the_expert_of_highest_prior_and_equals_it()
    {
        var mixture = new DomainMixture(HandScorers(), new MixtureSettings(PriorMode.Cached, TopK: 1), [0.25, 0.75]);
        using var batch = OneBlock();
        using var mixed = await mixture.ScoreAsync(batch);
        Assert.Equal([Math.Log(0.1), Math.Log(0.4), Math.Log(0.3)], mixed[0].data<double>().ToArray(), new ToleranceComparer(1e-12));
        Assert.Equal(1, mixture.ExpertCalls);
    }

    [Fact]
    public void Bad_mixture_settings_name_the_problem()
    {
        Assert.Contains("topk:K", Assert.Throws<ArgumentException>(() => MixtureSettings.Parse("topk:0")).Message);
        Assert.Contains("Unknown mixture", Assert.Throws<ArgumentException>(() => MixtureSettings.Parse("softmax")).Message);
        Assert.Equal(new MixtureSettings(PriorMode.Cached, 2), MixtureSettings.Parse("topk:2"));
        Assert.Contains("cached prior", Assert.Throws<ArgumentException>(() => new DomainMixture(HandScorers(), new MixtureSettings(PriorMode.Cached))).Message);
        Assert.Contains("Top-3", Assert.Throws<ArgumentException>(() => new DomainMixture(HandScorers(), new MixtureSettings(PriorMode.Uniform, 3))).Message);
        Assert.Contains("updating prior mixes every expert", Assert.Throws<ArgumentException>(() => new DomainMixture(HandScorers(), new MixtureSettings(PriorMode.Updating, 1))).Message);
    }

    private static Batch OneBlock() => new(zeros([1, 4], ScalarType.Int64), zeros(1, ScalarType.Int64));

    private static IReadOnlyList<ExpertScorer> HandScorers()
    {
        ExpertScorer Scorer(string name, int index) => new(name, (batch, _) =>
        {
            using var all = HandLogProbs();
            return Task.FromResult(all[index].clone());
        });
        return [Scorer("a", 0), Scorer("b", 1)];
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
