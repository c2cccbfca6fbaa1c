using MoeGrains.Grains.Placement;

namespace MoeGrains.Cluster.Tests.Placement;

public sealed class LeastLoadedChoiceTests
{
    [Fact]
    public void Fewest_activations_per_device_wins()
    {
        // 3 on one device (3.0) vs 4 on two devices (2.0).
        Assert.Equal((1, false), LeastLoadedChoice.Choose([(3, 1, 10), (4, 2, 10)]));
    }

    [Fact]
    public void Ties_go_to_the_earlier_candidate()
    {
        Assert.Equal((0, false), LeastLoadedChoice.Choose([(2, 1, 10), (4, 2, 10)]));
    }

    [Fact]
    public void Full_silos_are_skipped_until_every_silo_is_full()
    {
        Assert.Equal((1, false), LeastLoadedChoice.Choose([(1, 4, 1), (5, 1, 8)]));
        Assert.Equal((0, true), LeastLoadedChoice.Choose([(1, 4, 1), (8, 1, 8)]));
    }
}
