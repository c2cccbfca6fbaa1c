using MoeGrains.Model.Distributed;
using MoeGrains.Model.Inference;
using MoeGrains.Model.Training;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Distributed;

public class RouterInferenceTests
{
    [Theory]
    [InlineData(GateKind.Switch)]
    [InlineData(GateKind.Base)]
    [InlineData(GateKind.Domain)]
    public async Task Evaluation_logits_and_greedy_generation_equal_the_in_process_model(GateKind gate)
    {
        var config = DistributedTesting.Config(gate);
        var options = new TrainingOptions(Steps: 1);
        using var model = DistributedTesting.NewModel(config, seed: 9);
        using var partition = ModelPartition.Split(model);
        using var router = new RouterShard(config, options);
        router.LoadState(partition.Router);
        using var experts = LocalExpertExecutor.FromPartition(partition, config, options);

        var batches = DistributedTesting.Batches(1, 3, seed: 9, config.ContextLength);
        using var batch = batches[0];
        using var tokens = batch.Inputs().contiguous();
        model.eval();
        Tensor expected;
        using (no_grad()) expected = model.Forward(tokens, batch.Domains).Logits;
        using (expected)
        using (var actual = await router.LogitsAsync(tokens, batch.Domains, experts))
        {
            Assert.Equal(expected.shape, actual.shape);
            Assert.Equal(0f, (actual - expected).abs().max().item<float>());
        }

        const long domain = 1;
        var inProcess = new TextGenerator(LogitsSource.ForModel(model, domain));
        var cluster = new TextGenerator(new LogitsSource(
            (t, ct) => { using var d = full(t.shape[0], domain, ScalarType.Int64); return router.LogitsAsync(t, d, experts, ct, dropless: true); },
            config.ContextLength, config.VocabularySize));
        int[] prompt = [.. "The "u8.ToArray().Select(b => (int)b)];
        var a = await inProcess.GenerateAsync(prompt, 16).ToListAsync();
        var b = await cluster.GenerateAsync(prompt, 16).ToListAsync();
        Assert.Equal(a, b);
    }
}
