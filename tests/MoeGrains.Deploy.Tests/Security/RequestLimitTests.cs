using MoeGrains.Abstractions.Inference;
using MoeGrains.Abstractions.Limits;
using MoeGrains.Abstractions.Training;
using MoeGrains.Deploy.Tests.Processes;

namespace MoeGrains.Deploy.Tests.Security;

/// <summary>Requests over the limits of <c>MoeGrains:Limits</c> (set small on the secured cluster) fail with the limit named; nothing changes.</summary>
[Collection(SecuredClusterCollection.Name)]
public sealed class RequestLimitTests(SecuredClusterFixture cluster)
{
    private const string Model = ClusterWork.Model;

    [Fact]
    public async Task Too_many_texts_in_one_score_call()
    {
        var error = await Assert.ThrowsAsync<RequestLimitException>(() => cluster.Connection.Client.ScoreAsync(Model, ["a", "b", "c", "d", "e"]));
        Assert.Contains("5 texts", error.Message, StringComparison.Ordinal);
        Assert.Contains("MoeGrains:Limits:MaxTextsPerScore", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_tokens_in_one_score_call()
    {
        var text = new string('x', 150);
        var error = await Assert.ThrowsAsync<RequestLimitException>(() => cluster.Connection.Client.ScoreAsync(Model, [text, text, text]));
        Assert.Contains("MoeGrains:Limits:MaxTokensPerRequest", error.Message, StringComparison.Ordinal);
        Assert.Single(await cluster.Connection.Client.ScoreAsync(Model, [text]));
    }

    [Fact]
    public async Task A_prompt_too_long_and_too_many_tokens_to_generate()
    {
        var longPrompt = await Assert.ThrowsAsync<RequestLimitException>(() => GenerateAsync(new GenerationRequest(new string('p', 201), MaxTokens: 4)));
        Assert.Contains("201 characters", longPrompt.Message, StringComparison.Ordinal);
        Assert.Contains("MoeGrains:Limits:MaxPromptCharacters", longPrompt.Message, StringComparison.Ordinal);
        var tooMany = await Assert.ThrowsAsync<RequestLimitException>(() => GenerateAsync(new GenerationRequest("hello", MaxTokens: 17)));
        Assert.Contains("MoeGrains:Limits:MaxGeneratedTokens", tooMany.Message, StringComparison.Ordinal);
        Assert.Equal(3, (await GenerateAsync(new GenerationRequest("hello", MaxTokens: 3))).Count);
    }

    [Fact]
    public async Task A_training_batch_too_large_is_refused_and_the_model_is_unchanged()
    {
        var before = await cluster.Connection.Client.GetModelAsync(Model);
        var error = await Assert.ThrowsAsync<RequestLimitException>(() => cluster.Connection.Client.TrainAsync(Model, new TrainingRequest("sample", Steps: 1, BatchSize: 9)));
        Assert.Contains("BatchSize is 9", error.Message, StringComparison.Ordinal);
        Assert.Contains("MoeGrains:Limits:MaxBatchSize", error.Message, StringComparison.Ordinal);
        var after = await cluster.Connection.Client.GetModelAsync(Model);
        Assert.Equal((before.Version, before.Step), (after.Version, after.Step));
    }

    private async Task<List<GeneratedToken>> GenerateAsync(GenerationRequest request)
    {
        var tokens = new List<GeneratedToken>();
        await foreach (var token in cluster.Connection.Client.GenerateAsync(Model, request)) tokens.Add(token);
        return tokens;
    }
}
