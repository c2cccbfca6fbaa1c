using MoeGrains.Model.Routing;
using static MoeGrains.Model.Tests.TestTensors;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Routing;

public class HashGateTests
{
    [Fact]
    public void SplitMix64_matches_the_reference_sequence()
    {
        // SplitMix64 seeded with 0 produces 0xE220A8397B1DCDAF, then 0x6E789E6AA1B965F4; Hash(x) is the first output
        // of the generator seeded with x, and the second output is Hash(golden gamma).
        Assert.Equal(0xE220A8397B1DCDAFUL, SplitMix64.Hash(0));
        Assert.Equal(0x6E789E6AA1B965F4UL, SplitMix64.Hash(0x9E3779B97F4A7C15UL));
    }

    [Fact]
    public void Routes_each_token_to_its_fixed_hash_with_weight_one()
    {
        using var scope = NewDisposeScope();
        // Expected experts for ids 0..15 with E = 4, computed independently (Python): 3 1 2 1 2 2 0 3 2 0 2 1 3 3 2 1.
        long[] ids = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 7];
        var gate = new HashGate("hash", experts: 4, vocabularySize: 16);
        var plan = gate.Route(zeros(ids.Length, 3), TokenContext(ids));

        Assert.Equal("0:[6,9] 1:[1,3,11,15] 2:[2,4,5,8,10,14] 3:[0,7,12,13,16,17]", Signature(plan));
        Assert.All(plan.Slices, s => Assert.All(Doubles(s.CombineWeight), w => Assert.Equal(1.0, w)));
        Assert.Null(plan.AuxLoss);
        Assert.Equal(plan.Statistics.Requested, plan.Statistics.Processed);
        Assert.Equal(0, plan.Statistics.GateEntropy);
        Assert.Equal(3, HashGate.ExpertOf(0, 4));
        Assert.Equal(1, HashGate.ExpertOf(50256, 4));
    }

    [Theory]
    [InlineData(16L)]
    [InlineData(-1L)]
    public void Rejects_ids_outside_the_vocabulary(long bad)
    {
        using var scope = NewDisposeScope();
        var gate = new HashGate("hash", experts: 4, vocabularySize: 16);
        var error = Assert.Throws<ArgumentException>(() => gate.Route(zeros(3, 2), TokenContext([1, bad, 2])));
        Assert.Contains(bad.ToString(), error.Message);
    }
}
