namespace MoeGrains.Cluster.Tests.Equivalence;

/// <summary>Asserts that a cluster run's losses equal the in-process run's, step by step, within a relative tolerance.</summary>
internal static class LossComparison
{
    public static void AssertEqual(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string context, double relative = 1e-5)
    {
        Assert.True(expected.Count == actual.Count, $"{context}: {actual.Count} cluster losses, {expected.Count} in-process");
        for (var i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= relative * Math.Abs(expected[i]),
                $"{context} step {i + 1}: cluster {actual[i]:R}, in-process {expected[i]:R}\ncluster:    {string.Join(", ", actual.Select(l => l.ToString("F6")))}\nin-process: {string.Join(", ", expected.Select(l => l.ToString("F6")))}");
    }
}
