using MoeGrains.Model.Scoring;

namespace MoeGrains.Model.Tests.Scoring;

public class BootstrapIntervalTests
{
    [Fact]
    public void The_interval_is_seeded_brackets_the_accuracy_and_narrows_with_n()
    {
        var small = Enumerable.Range(0, 20).Select(i => i % 4 != 0).ToArray(); // 0.75
        var large = Enumerable.Range(0, 2000).Select(i => i % 4 != 0).ToArray();
        var (low, high) = BootstrapInterval.Compute(small, seed: 1);
        Assert.Equal((low, high), BootstrapInterval.Compute(small, seed: 1));
        Assert.True(low < 0.75 && 0.75 < high, $"[{low}, {high}]");
        Assert.True(low >= 0.4 && high <= 1.0);
        var (largeLow, largeHigh) = BootstrapInterval.Compute(large, seed: 1);
        Assert.True(largeHigh - largeLow < (high - low) / 4, $"[{largeLow}, {largeHigh}] vs [{low}, {high}]");
        Assert.Equal((1.0, 1.0), BootstrapInterval.Compute([true, true, true]));
        Assert.Throws<ArgumentException>(() => BootstrapInterval.Compute([]));
    }
}
