using MoeGrains.Faults.Tests.Cluster;

namespace MoeGrains.Faults.Tests.BadInput;

/// <summary>Bad input through the SDK (and the grain contracts it exposes) against the multi-process cluster.</summary>
[Collection(FaultClusterCollection.Name)]
public sealed class SdkBadInputTests(FaultCluster cluster)
{
    [Theory]
    [MemberData(nameof(SdkBadInputCases.Names), MemberType = typeof(SdkBadInputCases))]
    public async Task Is_refused_with_an_error_naming_the_problem_and_nothing_stored_changes(string kind)
    {
        var bad = SdkBadInputCases.All[kind];
        await cluster.RestoreAsync();
        var before = await cluster.StoredStateAsync();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => bad.Call(cluster));

        Assert.True(bad.Expected.IsInstanceOfType(error), $"expected {bad.Expected.Name}, got {error.GetType().Name}: {error.Message}");
        Assert.Contains(bad.Fragment, error.Message);
        var after = await cluster.StoredStateAsync();
        Assert.True(before.SameAs(after), $"stored state changed: {before.Difference(after)}");
    }
}
