using MoeGrains.Abstractions.Experts;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Tensors;
using MoeGrains.Cluster.Tests.Equivalence;

namespace MoeGrains.Cluster.Tests.Contract;

/// <summary>An expert grain called directly (as any client could) refuses malformed tensors by name and keeps serving.</summary>
public sealed class ExpertContractTests(ModelClusterFixture fixture) : IClassFixture<ModelClusterFixture>
{
    private const int ModelDim = 32; // the tiny preset

    [Fact]
    public async Task Wrong_width_dtype_or_byte_length_is_an_ArgumentException_naming_the_problem_and_the_expert_still_answers()
    {
        await fixture.Client.CreateModelAsync("contract", new ModelSpec("tiny", "switch", Seed: 2));
        var expert = fixture.Cluster.Client.GetGrain<IExpertGrain>(new ExpertId("contract", 0, 1).Key);
        var good = Floats(3, ModelDim);
        var before = await expert.ForwardAsync(new ExpertForwardRequest(1, good, Training: false));

        var width = await Assert.ThrowsAsync<ArgumentException>(() => expert.ForwardAsync(new ExpertForwardRequest(1, Floats(3, 16), false)));
        Assert.Contains($"[n, {ModelDim}]", width.Message);
        Assert.Contains("[3, 16]", width.Message);
        Assert.Contains("contract/0/1", width.Message);

        var doubles = new TensorPayload(new byte[3 * ModelDim * 8], [3, ModelDim], TensorDType.Float64);
        var dtype = await Assert.ThrowsAsync<ArgumentException>(() => expert.ForwardAsync(new ExpertForwardRequest(1, doubles, false)));
        Assert.Contains("must be Float32", dtype.Message);
        Assert.Contains("got Float64", dtype.Message);

        var shortBytes = new TensorPayload(new byte[10], [3, ModelDim], TensorDType.Float32);
        var length = await Assert.ThrowsAsync<ArgumentException>(() => expert.ForwardAsync(new ExpertForwardRequest(1, shortBytes, false)));
        Assert.Contains($"needs {3 * ModelDim * 4} bytes; got 10", length.Message);

        var rank = await Assert.ThrowsAsync<ArgumentException>(() => expert.ForwardAsync(new ExpertForwardRequest(1, new TensorPayload(new byte[ModelDim * 4], [ModelDim], TensorDType.Float32), false)));
        Assert.Contains($"[{ModelDim}]", rank.Message);

        var after = await expert.ForwardAsync(new ExpertForwardRequest(1, good, Training: false));
        Assert.Equal(new long[] { 3, ModelDim }, after.Shape);
        Assert.Equal(TensorDType.Float32, after.DType);
        Assert.Equal(before.Data, after.Data); // same weights, same answer: the refused calls changed nothing
        Assert.Equal(0, (await expert.GetInfoAsync()).Step);
    }

    private static TensorPayload Floats(int rows, int columns)
    {
        var values = Enumerable.Range(0, rows * columns).Select(i => MathF.Sin(i * 0.37f)).ToArray();
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return new TensorPayload(bytes, [rows, columns], TensorDType.Float32);
    }
}
