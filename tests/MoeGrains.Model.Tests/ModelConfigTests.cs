namespace MoeGrains.Model.Tests;

public class ModelConfigTests
{
    [Fact]
    public void Presets_have_the_documented_shapes()
    {
        var small = ModelConfig.FromPreset("small", GateKind.Switch, 258);
        Assert.Equal((256, 4, 4, 8, 128), (small.ModelDim, small.Layers, small.Heads, small.Experts, small.ContextLength));
        var @base = ModelConfig.FromPreset("base", GateKind.Switch, 258);
        Assert.Equal((512, 8, 16), (@base.ModelDim, @base.Layers, @base.Experts));
    }

    [Fact]
    public void Unknown_preset_and_gate_are_named_in_the_error()
    {
        Assert.Contains("'huge'", Assert.Throws<ArgumentException>(() => ModelConfig.FromPreset("huge", GateKind.Dense, 258)).Message);
        Assert.Contains("'nope'", Assert.Throws<ArgumentException>(() => GateNames.Parse("nope")).Message);
    }

    [Fact]
    public void Json_round_trips()
    {
        var config = ModelConfig.FromPreset("tiny", GateKind.Top2, 258) with { MoeEvery = 2, SecondExpert = SecondExpertPolicy.Sampling };
        Assert.Equal(config, ModelConfig.FromJson(config.ToJson()));
    }

    [Fact]
    public void Moe_every_other_layer_puts_experts_in_odd_blocks()
    {
        var config = ModelConfig.FromPreset("base", GateKind.Switch, 258) with { MoeEvery = 2 };
        Assert.Equal([false, true, false, true, false, true, false, true], Enumerable.Range(0, 8).Select(config.IsMoeLayer));
        Assert.All(Enumerable.Range(0, 8), i => Assert.False((config with { Gate = GateKind.Dense }).IsMoeLayer(i)));
    }

    [Fact]
    public void Wrong_token_tensors_are_rejected_with_the_problem_named()
    {
        using var model = new MoeLanguageModel(ModelConfig.FromPreset("tiny", GateKind.Dense, 258));
        using var rank1 = TorchSharp.torch.zeros(5, dtype: TorchSharp.torch.ScalarType.Int64);
        Assert.Contains("[batch, length]", Assert.Throws<ArgumentException>(() => model.Forward(rank1)).Message);
        using var floats = TorchSharp.torch.zeros(1, 5);
        Assert.Contains("int64", Assert.Throws<ArgumentException>(() => model.Forward(floats)).Message);
        using var tooLong = TorchSharp.torch.zeros(1, 33, dtype: TorchSharp.torch.ScalarType.Int64);
        Assert.Contains("context length", Assert.Throws<ArgumentException>(() => model.Forward(tooLong)).Message);
        using var outOfVocab = TorchSharp.torch.full(1, 4, 258, dtype: TorchSharp.torch.ScalarType.Int64);
        Assert.Contains("outside the vocabulary", Assert.Throws<ArgumentException>(() => model.Forward(outOfVocab)).Message);
    }
}
