using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using MoeGrains.Model.Inference;
using MoeGrains.Model.Scoring;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Domains;

public class MixtureChoiceScoringTests
{
    private static readonly ByteTokenizer Tokenizer = new();

    private static readonly Lazy<IReadOnlyList<DomainExpert>> ThreeExperts = new(() =>
    {
        manual_seed(11);
        var config = ModelConfig.FromPreset("tiny", GateKind.Domain, Tokenizer.VocabularySize) with { Experts = 3 };
        using var shared = new MoeLanguageModel(config);
        return [.. new[] { "code", "law", "religion" }.Select((domain, i) => new DomainExpert(domain, DomainExpertWeights.Extract(shared, i)))];
    });

    private static readonly Dictionary<string, double[]> CachedPriors = new()
    {
        ["code"] = [0.6, 0.3, 0.1],
        ["law"] = [0.15, 0.25, 0.6],
    };

    // The second item's context is longer than the 32-byte window: the scorer keeps its last 33 − |y| bytes.
    private static readonly ChoiceItem[] Items =
    [
        new("The King said that", [" people", " war was over", " a"], Label: 0, DomainPremise: " the", Domain: "code"),
        new("Over the long and winding road the traveller finally saw", [" a bird", " the stone"], Label: 1, DomainPremise: " so", Domain: "law"),
    ];

    private static readonly ScoringMethod[] Methods = [ScoringMethod.Lm, ScoringMethod.Avg, ScoringMethod.Pmi, ScoringMethod.PmiDc, ScoringMethod.DirectPlusPlus];

    [Theory]
    [InlineData("uniform")]
    [InlineData("cached")]
    [InlineData("topk:2")]
    public async Task Sum_and_mean_methods_equal_the_posterior_mixture_computed_by_hand_from_each_experts_token_log_probabilities(string mixture)
    {
        var experts = ThreeExperts.Value;
        var settings = MixtureSettings.Parse(mixture);
        var scorer = new MixtureChoiceScorer([.. experts.Select(e => e.Scorer())], settings, Tokenizer, 32, Tokenizer.VocabularySize,
            (domain, _) => Task.FromResult<IReadOnlyList<double>>(CachedPriors[domain]));

        var scores = await scorer.ScoreAsync(Items, Methods);

        for (var i = 0; i < Items.Length; i++)
        {
            var item = Items[i];
            var prior = settings.Mode == PriorMode.Uniform ? MixtureMath.Uniform(3) : CachedPriors[item.Domain!];
            if (settings.TopK is { } k) prior = KeepTop(prior, k);
            for (var j = 0; j < item.Choices.Count; j++)
            {
                var y = item.Choices[j];
                var direct = HandMixture(experts, prior, item.Context, y);
                var nullContext = HandMixture(experts, prior, ":", y);
                var premise = HandMixture(experts, prior, item.DomainPremise!, y);
                var calibration = HandMixture(experts, prior, "N/A", y);
                AssertClose(direct, scores[i].Scores[ScoringMethod.Lm][j]);
                AssertClose(direct / y.Length, scores[i].Scores[ScoringMethod.Avg][j]);
                AssertClose(direct - nullContext, scores[i].Scores[ScoringMethod.Pmi][j]);
                AssertClose(direct - premise, scores[i].Scores[ScoringMethod.PmiDc][j]);
                AssertClose(direct / y.Length - calibration / y.Length, scores[i].Scores[ScoringMethod.DirectPlusPlus][j]);
            }
        }
        var expectedPrior = settings.Mode == PriorMode.Uniform ? MixtureMath.Uniform(3) : KeepTop(CachedPriors["law"], settings.TopK ?? 3);
        Assert.Equal(expectedPrior, scorer.PriorsUsed[settings.Mode == PriorMode.Uniform ? "" : "law"], new ToleranceComparer(1e-12));
    }

    [Fact]
    public async Task A_one_expert_mixture_scores_every_method_as_that_expert_alone()
    {
        var expert = ThreeExperts.Value[1];
        var mixture = new MixtureChoiceScorer([expert.Scorer()], MixtureSettings.Parse("uniform"), Tokenizer, 32, Tokenizer.VocabularySize);
        var single = new MultipleChoiceScorer(new BatchedContinuationScorer(LogitsSource.ForModel(expert.Model, 0)), Tokenizer);

        ChoiceItem[] items = [Items[0], new("I tipped the bottle", [" it froze", " it poured out"], Label: 1, DomainPremise: " so", Domain: "law")];

        var mixed = await mixture.ScoreAsync(items, ScoringMethods.All);
        var alone = await single.ScoreAsync(items, ScoringMethods.All);

        for (var i = 0; i < items.Length; i++)
        foreach (var method in ScoringMethods.All)
        for (var j = 0; j < items[i].Choices.Count; j++)
            AssertClose(alone[i].Scores[method][j], mixed[i].Scores[method][j]);
        Assert.Equal(items.Select(i => i.Choices.Count), mixed.Select(s => s.Scores[ScoringMethod.Channel].Length));
    }

    [Fact]
    public async Task Token_values_spread_the_mixture_equally_and_do_not_depend_on_the_other_requests_of_the_call()
    {
        var experts = ThreeExperts.Value;
        var scorer = new MixtureContinuationScorer([.. experts.Select(e => e.Scorer())], [0.5, 0.3, 0.2], 32, Tokenizer.VocabularySize, rowsPerBatch: 2);
        ContinuationRequest Request(string c, string y) => new(Tokenizer.Encode(c), Tokenizer.Encode(y));
        var requests = new[] { Request("Hello there", " friend"), Request("a", " b"), Request("Some longer context here", " and more") };

        var together = await scorer.ScoreAsync(requests);
        var alone = await scorer.ScoreAsync([requests[2]]);

        Assert.Equal(9, together[2].Length);
        Assert.All(together[2], value => Assert.Equal(together[2][0], value));
        AssertClose(HandMixture(experts, [0.5, 0.3, 0.2], "Some longer context here", " and more"), together[2].Sum());
        AssertClose(alone[0].Sum(), together[2].Sum());
    }

    [Fact]
    public void Mixing_a_continuation_follows_bayes_rule_on_the_context_and_does_not_underflow()
    {
        // prior (0.25, 0.75), P(c) = (0.4, 0.1): posterior ∝ (0.1, 0.075) = (4/7, 3/7); P(y | c) = (0.5, 0.2)
        var mixed = MixtureMath.MixContinuation([0.25, 0.75], [Math.Log(0.4), Math.Log(0.1)], [Math.Log(0.5), Math.Log(0.2)]);
        Assert.Equal(Math.Log(4.0 / 7 * 0.5 + 3.0 / 7 * 0.2), mixed, 12);
        // the same ratios 3000 nats down: exp would underflow to 0 without the log-space shift
        var deep = MixtureMath.MixContinuation([0.25, 0.75], [Math.Log(0.4) - 3000, Math.Log(0.1) - 3000], [Math.Log(0.5) - 2000, Math.Log(0.2) - 2000]);
        Assert.Equal(mixed - 2000, deep, 9);
        Assert.Equal(Math.Log(0.5 * 0.5 + 0.5 * 0.2), MixtureMath.MixContinuation([0.5, 0.5], [0.0, 0.0], [Math.Log(0.5), Math.Log(0.2)]), 12);
    }

    [Fact]
    public async Task Bad_mixtures_and_items_without_a_domain_or_prior_are_refused_before_anything_is_scored()
    {
        var scorers = ThreeExperts.Value.Select(e => e.Scorer()).ToArray();
        var updating = Assert.Throws<ArgumentException>(() => new MixtureChoiceScorer(scorers, MixtureSettings.Parse("updating"), Tokenizer, 32, 258));
        Assert.Contains("uniform, cached or topk:K", updating.Message);
        Assert.Contains("asks for 4 experts; the mixture has 3", Assert.Throws<ArgumentException>(() => new MixtureChoiceScorer(scorers, MixtureSettings.Parse("topk:4"), Tokenizer, 32, 258)).Message);

        var calls = 0;
        var counted = scorers.Select(s => new ExpertScorer(s.Name, (batch, ct) => { Interlocked.Increment(ref calls); return s.LogProbs(batch, ct); })).ToArray();
        var cached = new MixtureChoiceScorer(counted, MixtureSettings.Parse("cached"), Tokenizer, 32, 258,
            (domain, _) => CachedPriors.TryGetValue(domain, out var p) ? Task.FromResult<IReadOnlyList<double>>(p) : throw new ArgumentException($"no prior for '{domain}'"));
        var noDomain = await Assert.ThrowsAsync<ArgumentException>(() => cached.ScoreAsync([Items[0], Items[1] with { Domain = null, Line = 7 }], Methods));
        Assert.Contains("line 7", noDomain.Message);
        Assert.Contains("has no \"domain\"", noDomain.Message);
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => cached.ScoreAsync([Items[0], Items[1] with { Domain = "biomedical" }], Methods));
        Assert.Contains("no prior for 'biomedical'", unknown.Message);
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task A_missing_cached_prior_is_estimated_on_the_domains_validation_text_and_a_stored_one_is_used_as_is()
    {
        var experts = ThreeExperts.Value;
        var scorers = experts.Select(e => e.Scorer()).ToArray();
        var manifest = MixtureManifest.First("sha", [.. experts.Select(e => e.Domain)]).WithCachedPrior("code", [0.7, 0.2, 0.1]);
        var valid = TokenizedSplit.Create(DomainCorpus.Load(TestData.SampleCorpus.Path), Tokenizer, CorpusSplit.Valid);
        var source = new CachedPriorSource(scorers, manifest, valid, 32, priorBlocks: 8);

        Assert.Equal(new[] { 0.7, 0.2, 0.1 }, await source.GetAsync("code"));
        var religion = await source.GetAsync("religion");
        var expected = await PriorEstimator.EstimateAsync(scorers, valid.Stream("religion"), 32, 16, 8);
        Assert.Equal(expected, religion);
        Assert.Equal(new[] { "religion" }, source.Estimated.Keys);
        var none = new CachedPriorSource(scorers, manifest, null, 32);
        Assert.Contains("no cached prior for domain 'religion'", (await Assert.ThrowsAsync<ArgumentException>(() => none.GetAsync("religion"))).Message);
    }

    /// <summary>log P_mix(y | c) straight from each expert's logits over the kept context + y, one sequence per forward.</summary>
    private static double HandMixture(IReadOnlyList<DomainExpert> experts, double[] prior, string context, string continuation)
    {
        var joint = 0.0;
        var evidence = new double[experts.Count];
        var conditional = new double[experts.Count];
        for (var j = 0; j < experts.Count; j++) (evidence[j], conditional[j]) = HandLogProbs(experts[j].Model, context, continuation);
        var normaliser = experts.Select((_, j) => prior[j] * Math.Exp(evidence[j])).Sum();
        for (var j = 0; j < experts.Count; j++) joint += prior[j] * Math.Exp(evidence[j]) / normaliser * Math.Exp(conditional[j]);
        return Math.Log(joint);
    }

    /// <summary>(log P(c) from c's second token on, log P(y | c)) under one model, c left-truncated to the 32-token window.</summary>
    private static (double Context, double Continuation) HandLogProbs(MoeLanguageModel model, string context, string continuation)
    {
        var c = Tokenizer.Encode(context);
        var y = Tokenizer.Encode(continuation);
        var kept = Math.Min(c.Length, 32 + 1 - y.Length);
        long[] sequence = [.. c[^kept..].Select(t => (long)t), .. y.Select(t => (long)t)];
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = model.Forward(tensor(sequence[..^1], [1, sequence.Length - 1]), zeros(1, ScalarType.Int64)).Logits[0].to(ScalarType.Float64);
        var logProbs = nn.functional.log_softmax(logits, 1);
        var values = Enumerable.Range(0, sequence.Length - 1).Select(k => logProbs[k, sequence[k + 1]].item<double>()).ToArray();
        return (values[..(kept - 1)].Sum(), values[(kept - 1)..].Sum());
    }

    private static double[] KeepTop(double[] prior, int k)
    {
        var top = prior.Select((p, i) => (p, i)).OrderByDescending(x => x.p).Take(k).Select(x => x.i).ToHashSet();
        var sum = top.Sum(i => prior[i]);
        return [.. prior.Select((p, i) => top.Contains(i) ? p / sum : 0)];
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 2e-5 * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double value) => 0;
    }
}
