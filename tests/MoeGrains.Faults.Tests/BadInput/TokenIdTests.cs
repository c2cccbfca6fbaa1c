using MoeGrains.Model.Inference;

namespace MoeGrains.Faults.Tests.BadInput;

/// <summary>
/// Token ids never cross the SDK on main (texts are tokenised in the router), so an id outside the vocabulary can only reach the
/// model library's scorer and generator: they refuse it, naming the id and its position, before any logits are computed.
/// </summary>
public sealed class TokenIdTests
{
    private static LogitsSource NeverCalled() =>
        new((_, _) => throw new InvalidOperationException("logits must not be computed for invalid tokens"), contextLength: 32, vocabularySize: 258);

    [Theory]
    [InlineData(258)]
    [InlineData(-1)]
    public async Task A_token_id_outside_the_vocabulary_is_refused_naming_it(int id)
    {
        var scored = await Assert.ThrowsAsync<ArgumentException>(() => new SequenceScorer(NeverCalled()).ScoreAsync([5, id]));
        Assert.Contains($"Token id {id} at position 1", scored.Message);
        Assert.Contains("outside the vocabulary 0..257", scored.Message);
        var generated = await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (var _ in new TextGenerator(NeverCalled()).GenerateAsync([id], 1)) { }
        });
        Assert.Contains($"Token id {id} at position 0", generated.Message);
    }
}
