using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;

namespace MoeGrains.Model.Tests.Domains;

public class CachedPriorRefreshTests
{
    [Fact]
    public async Task Adding_an_expert_estimates_again_the_priors_the_previous_version_had_and_the_new_domains_with_the_new_expert_set()
    {
        var mixture = TinyDomainExperts.Get;
        var names = mixture.Experts.Select(e => e.Domain).ToList();
        var uniform = Enumerable.Repeat(1.0 / names.Count, names.Count).ToArray();
        var previous = MixtureManifest.First("sha", names).WithCachedPrior("religion", uniform).WithCachedPrior("not-in-this-data", uniform);
        var domains = CachedPriorRefresh.DomainsAfterAdding(previous, TinyDomainExperts.HeldOut, mixture.Documents);
        Assert.Equal(["religion", TinyDomainExperts.HeldOut], domains);

        using var added = new DomainExpert(TinyDomainExperts.HeldOut, DomainExpertWeights.Clone(mixture.Experts[0].Model));
        var scorers = (IReadOnlyList<ExpertScorer>)[.. mixture.Scorers, added.Scorer()];
        var next = previous.WithAdded(TinyDomainExperts.HeldOut);
        Assert.Empty(next.CachedPriors);
        var refreshed = await CachedPriorRefresh.EstimateAsync(next, domains, scorers, mixture.Documents, new ByteTokenizer(), blockLength: 32);

        Assert.Equal(next.Version, refreshed.Version);
        Assert.Equal(domains, refreshed.CachedPriors.Keys.Order(StringComparer.Ordinal));
        foreach (var domain in domains)
        {
            var expected = await PriorEstimator.EstimateAsync(scorers, mixture.Valid.Stream(domain), 32, batchSize: 16);
            Assert.Equal(refreshed.ByExpert(expected), refreshed.CachedPriors[domain]);
            Assert.Equal(1.0, refreshed.CachedPriors[domain].Values.Sum(), 9);
        }
        Assert.Equal("religion", refreshed.CachedPriors["religion"].MaxBy(p => p.Value).Key);

        var reordered = (IReadOnlyList<ExpertScorer>)[added.Scorer(), .. mixture.Scorers];
        var wrong = await Assert.ThrowsAsync<ArgumentException>(() => CachedPriorRefresh.EstimateAsync(next, domains, reordered, mixture.Documents, new ByteTokenizer(), 32));
        Assert.Contains("are not version", wrong.Message);
    }
}
