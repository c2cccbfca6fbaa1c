using MoeGrains.Model.Routing;
using static MoeGrains.Model.Tests.TestTensors;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Routing;

public class DomainGateTests
{
    [Fact]
    public void Routes_each_position_to_its_domain_with_weight_one()
    {
        using var scope = NewDisposeScope();
        var gate = new DomainGate("domain", experts: 3);
        var plan = gate.Route(randn(6, 2), Context(6, domains: tensor(new long[] { 2, 0, 2, 1, 0, 2 })));

        Assert.Equal("0:[1,4] 1:[3] 2:[0,2,5]", Signature(plan));
        Assert.All(plan.Slices, s => Assert.All(Doubles(s.CombineWeight), w => Assert.Equal(1.0, w)));
        Assert.Null(plan.AuxLoss);
        Assert.Equal([2L, 1L, 3L], plan.Statistics.Processed);
        Assert.Equal(0, plan.Statistics.Dropped);
    }

    [Fact]
    public void Missing_domain_ids_are_a_clear_error()
    {
        using var scope = NewDisposeScope();
        var gate = new DomainGate("domain", experts: 3);
        var error = Assert.Throws<ArgumentException>(() => gate.Route(randn(2, 2), Context(2)));
        Assert.Contains("DomainIds", error.Message);
    }

    [Theory]
    [InlineData(3L)]
    [InlineData(7L)]
    [InlineData(-2L)]
    public void A_domain_outside_the_experts_is_named_in_the_error(long bad)
    {
        using var scope = NewDisposeScope();
        var gate = new DomainGate("domain", experts: 3);
        var error = Assert.Throws<ArgumentException>(
            () => gate.Route(randn(3, 2), Context(3, domains: tensor(new long[] { 0, bad, 1 }))));
        Assert.Contains($"Domain id {bad} ", error.Message);
        Assert.Contains("[0, 3)", error.Message);
    }

    [Fact]
    public void Domain_ids_must_cover_every_position()
    {
        using var scope = NewDisposeScope();
        var gate = new DomainGate("domain", experts: 3);
        Assert.Throws<ArgumentException>(() => gate.Route(randn(3, 2), Context(3, domains: tensor(new long[] { 0, 1 }))));
    }
}
