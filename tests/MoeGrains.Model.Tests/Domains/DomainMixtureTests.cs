using Xunit.Abstractions;
using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using MoeGrains.Model.Evaluation;

namespace MoeGrains.Model.Tests.Domains;

public class DomainMixtureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_highest_posterior_expert_of_a_held_out_document_is_its_domains_expert_at_least_90_percent_of_the_time()
    {
        var mixture = TinyDomainExperts.Get;
        var tokenizer = new ByteTokenizer();
        var (right, total) = (0, 0);
        var misses = new List<string>();
        foreach (var domain in mixture.Train.Domains)
        {
            foreach (var document in mixture.Documents.Documents(domain, CorpusSplit.Test))
            {
                var stream = new DomainTokenStream(domain, 0, [.. tokenizer.Encode(document)]);
                var posterior = await PriorEstimator.EstimateAsync(mixture.Scorers, stream, blockLength: 32, batchSize: 1);
                var best = mixture.Experts[Array.IndexOf(posterior, posterior.Max())].Domain;
                total++;
                if (best == domain) right++;
                else misses.Add($"{domain} → {best}");
            }
        }
        output.WriteLine($"{right}/{total} held-out documents went to their own expert; misses: {string.Join(", ", misses)}");
        Assert.True(right >= 0.9 * total, $"{right}/{total} documents went to their own expert; misses: {string.Join(", ", misses)}");
    }

    [Fact]
    public async Task Each_domains_own_expert_beats_the_others_and_its_cached_prior_puts_that_expert_first()
    {
        var mixture = TinyDomainExperts.Get;
        var report = await MixtureEvaluator.EvaluateAsync(mixture.Scorers, mixture.Test, mixture.Valid, 32, 8, topK: 2);
        foreach (var result in report.Domains.Where(r => r.Domain != TinyDomainExperts.HeldOut))
        {
            Assert.Equal(result.Domain, result.BestExpert);
            Assert.True(result.Cached.Value < result.Uniform.Value, $"{result.Domain}: cached {result.Cached.Value:F3} vs uniform {result.Uniform.Value:F3}");
            Assert.Equal(result.Domain, result.CachedPrior.MaxBy(pair => pair.Value).Key);
            Assert.InRange(result.CachedPrior.Values.Sum(), 1 - 1e-9, 1 + 1e-9);
        }
        Assert.Equal(mixture.Test.Domains, report.Domains.Select(r => r.Domain));
    }

    [Fact]
    public async Task A_single_expert_mixture_is_that_expert()
    {
        var expert = TinyDomainExperts.Get.Experts[1];
        var mixture = new DomainMixture([expert.Scorer()], new MixtureSettings(PriorMode.Updating));
        var text = TinyDomainExperts.Get.Test.Stream("code").Tokens[..100].ToArray();
        var mixed = await mixture.ScoreSequenceAsync(text, 32);
        var direct = await new MoeGrains.Model.Inference.SequenceScorer(MoeGrains.Model.Inference.LogitsSource.ForModel(expert.Model, 0)).ScoreAsync(text);
        Assert.Equal(99, mixed.Length);
        // The expert path and the scorer's path take log-softmax at different precisions: they agree to float32 rounding.
        for (var i = 0; i < direct.Length; i++) Assert.True(Math.Abs(direct[i] - mixed[i]) < 1e-6, $"position {i}: {direct[i]} vs {mixed[i]}");
    }

    [Fact]
    public async Task Adding_an_expert_for_a_new_domain_lowers_its_perplexity_and_leaves_the_others_bit_identical()
    {
        var mixture = TinyDomainExperts.Get;
        var before = mixture.Experts.ToDictionary(e => e.Domain, e => BranchTrainingTests.Snapshot(e.Model));
        var heldOutValid = mixture.Valid.Stream(TinyDomainExperts.HeldOut);
        var options = TinyDomainExperts.BranchOptions with { Steps = 150, LearningRate = 3e-2 };
        var added = await ExpertAdding.AddAsync(mixture.Experts, TinyDomainExperts.HeldOut, mixture.HeldOutTrain, heldOutValid, options, priorBlocks: 40);
        using (added.Expert)
        {
            Assert.Equal(mixture.Experts[Array.IndexOf([.. added.Posterior], added.Posterior.Max())].Domain, added.Parent);
            var test = new TokenizedSplit(CorpusSplit.Test, new ByteTokenizer(), [mixture.Test.Stream(TinyDomainExperts.HeldOut)]);
            var valid = new TokenizedSplit(CorpusSplit.Valid, new ByteTokenizer(), [heldOutValid]);
            var without = (await MixtureEvaluator.EvaluateAsync(mixture.Scorers, test, valid, 32, 8, priorBlocks: 40)).Domains[0];
            var with = (await MixtureEvaluator.EvaluateAsync([.. mixture.Scorers, added.Expert.Scorer()], test, valid, 32, 8, priorBlocks: 40)).Domains[0];
            Assert.True(with.Cached.Value < without.Cached.Value, $"cached mixture {without.Cached.Value:F3} → {with.Cached.Value:F3}");
            Assert.True(with.Experts[TinyDomainExperts.HeldOut].Value < without.Experts[added.Parent].Value,
                $"new expert {with.Experts[TinyDomainExperts.HeldOut].Value:F3} vs its parent {without.Experts[added.Parent].Value:F3}");
        }
        foreach (var expert in mixture.Experts)
        {
            var after = BranchTrainingTests.Snapshot(expert.Model);
            Assert.All(after.Keys, name => Assert.Equal(before[expert.Domain][name], after[name]));
        }
        await Assert.ThrowsAsync<DomainExpertException>(() => ExpertAdding.AddAsync(mixture.Experts, "code", mixture.Train.Stream("code"), null, options));
    }

    [Fact]
    public async Task Retiring_an_expert_raises_its_domains_perplexity_and_restoring_it_brings_the_numbers_back()
    {
        var mixture = TinyDomainExperts.Get;
        var directory = Directory.CreateTempSubdirectory("moe-demix-").FullName;
        try
        {
            var sha = DomainMixtureFolder.SaveShared(directory, mixture.Shared, TinyDomainExperts.SharedSteps);
            foreach (var expert in mixture.Experts) DomainMixtureFolder.SaveExpert(directory, expert, BranchMode.FeedForward, sha);
            var first = MixtureManifest.First(sha, [.. mixture.Experts.Select(e => e.Domain)]);
            DomainMixtureFolder.Commit(directory, first);

            var original = await Evaluate(directory);
            var retired = first.WithRetired("religion");
            DomainMixtureFolder.Commit(directory, retired);
            var without = await Evaluate(directory);
            Assert.True(without["religion"] > original["religion"] * 1.02, $"religion {original["religion"]:F3} → {without["religion"]:F3}");
            Assert.True(File.Exists(Path.Combine(directory, "experts", "religion", "weights.bin")), "the retired expert's checkpoint is kept");

            DomainMixtureFolder.Commit(directory, retired.WithRestored("religion"));
            var restored = await Evaluate(directory);
            Assert.All(original.Keys, domain => Assert.Equal(original[domain], restored[domain], 9));
            Assert.Equal(3, DomainMixtureFolder.ReadManifest(directory).Version);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Lifecycle_errors_name_the_problem_and_change_nothing()
    {
        var manifest = MixtureManifest.First("abc", ["code", "religion"]);
        Assert.Contains("already has an expert", Assert.Throws<DomainExpertException>(() => manifest.WithAdded("code")).Message);
        Assert.Contains("Unknown expert 'law'", Assert.Throws<DomainExpertException>(() => manifest.WithRetired("law")).Message);
        var one = manifest.WithRetired("code");
        Assert.Contains("last one", Assert.Throws<DomainExpertException>(() => one.WithRetired("religion")).Message);
        Assert.Contains("restore it", Assert.Throws<DomainExpertException>(() => one.WithAdded("code")).Message);
        Assert.Contains("active, not retired", Assert.Throws<DomainExpertException>(() => one.WithRestored("religion")).Message);
        Assert.Equal(["religion"], one.Experts);
        Assert.Equal(["code"], one.Archived);
        Assert.Equal(2, one.Version);
        var withPrior = one.WithCachedPrior("law", [1.0]);
        Assert.Equal([1.0], withPrior.CachedPrior("law")!);
        Assert.Empty(withPrior.WithRestored("code").CachedPriors);
        Assert.Equal(withPrior.ToJson(), MixtureManifest.FromJson(withPrior.ToJson()).ToJson());
    }

    private static async Task<Dictionary<string, double>> Evaluate(string directory)
    {
        var (_, experts) = DomainMixtureFolder.LoadMixture(directory);
        try
        {
            var data = TinyDomainExperts.Get;
            var report = await MixtureEvaluator.EvaluateAsync([.. experts.Select(e => e.Scorer())], data.Test, data.Valid, 32, 8, priorBlocks: 20);
            return report.Domains.ToDictionary(r => r.Domain, r => r.Cached.Value);
        }
        finally
        {
            foreach (var expert in experts) expert.Dispose();
        }
    }
}
