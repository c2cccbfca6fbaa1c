using MoeGrains.Model.Inference;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Inference;

public class TextGeneratorTests
{
    private const int Vocabulary = 11;
    private const int Window = 6;

    /// <summary>A fixed "model": logits depend on the last token and the context length, and record the inputs they saw.</summary>
    private static LogitsSource Fake(List<long[]>? seen = null) => new(tokens =>
    {
        seen?.Add(tokens.data<long>().ToArray());
        var (batch, length) = (tokens.shape[0], tokens.shape[1]);
        var values = new float[batch * length * Vocabulary];
        var ids = tokens.data<long>().ToArray();
        for (var p = 0; p < batch * length; p++)
        for (var v = 0; v < Vocabulary; v++)
            values[p * Vocabulary + v] = (float)Math.Sin(ids[p] * 1.7 + v * 0.9 + (p % length) * 0.3);
        return tensor(values, [batch, length, Vocabulary]);
    }, Window, Vocabulary);

    private static Task<List<int>> Generate(SamplingOptions options, int count = 12, List<long[]>? seen = null) =>
        new TextGenerator(Fake(seen)).GenerateAsync([3, 1, 4], count, options).ToListAsync().AsTask();

    [Fact]
    public async Task Greedy_is_deterministic_and_picks_the_argmax_of_the_truncated_context()
    {
        var seen = new List<long[]>();
        var first = await Generate(SamplingOptions.Greedy, seen: seen);
        Assert.Equal(first, await Generate(SamplingOptions.Greedy));
        Assert.All(seen, input => Assert.True(input.Length <= Window));
        Assert.Equal(Window, seen[^1].Length); // left-truncated once the context is longer than the window
        for (var i = 0; i < first.Count; i++)
        {
            var context = new List<long> { 3, 1, 4 };
            context.AddRange(first.Take(i).Select(t => (long)t));
            Assert.Equal(context.TakeLast(Window), seen[i]);
            using var logits = await Fake().LogitsAsync(tensor(seen[i], [1, seen[i].Length]));
            Assert.Equal(logits[0, -1].argmax().item<long>(), first[i]);
        }
    }

    [Fact]
    public async Task Same_seed_gives_the_same_sample_and_another_seed_another()
    {
        var a = await Generate(new SamplingOptions(Temperature: 1.5, Seed: 42), count: 30);
        var b = await Generate(new SamplingOptions(Temperature: 1.5, Seed: 42), count: 30);
        var c = await Generate(new SamplingOptions(Temperature: 1.5, Seed: 43), count: 30);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public async Task Top_k_of_one_equals_greedy()
    {
        Assert.Equal(await Generate(SamplingOptions.Greedy), await Generate(new SamplingOptions(Temperature: 2.0, TopK: 1, Seed: 5)));
        Assert.NotEqual(await Generate(SamplingOptions.Greedy, count: 30), await Generate(new SamplingOptions(Temperature: 2.0, TopK: 5, Seed: 5), count: 30));
    }

    [Fact]
    public void Nucleus_filter_keeps_the_smallest_set_reaching_p()
    {
        double[] probabilities = [0.05, 0.4, 0.1, 0.3, 0.15];
        Assert.Equal([1], TextGenerator.NucleusFilter(probabilities, 0.4));
        Assert.Equal([1, 3], TextGenerator.NucleusFilter(probabilities, 0.41));
        Assert.Equal([1, 3], TextGenerator.NucleusFilter(probabilities, 0.7));
        Assert.Equal([1, 3, 4], TextGenerator.NucleusFilter(probabilities, 0.71));
        Assert.Equal([1, 3, 4, 2, 0], TextGenerator.NucleusFilter(probabilities, 1.0));
        Assert.Equal([1, 0], TextGenerator.NucleusFilter([0.25, 0.5, 0.25], 0.6)); // ties go to the lower id
    }

    [Fact]
    public async Task Top_p_sampling_only_emits_tokens_inside_the_nucleus()
    {
        var seen = new List<long[]>();
        var tokens = await Generate(new SamplingOptions(Temperature: 1.0, TopP: 0.5, Seed: 3), count: 20, seen: seen);
        for (var i = 0; i < tokens.Count; i++)
        {
            using var logits = await Fake().LogitsAsync(tensor(seen[i], [1, seen[i].Length]));
            var probabilities = nn.functional.softmax(logits[0, -1].to(ScalarType.Float64), 0).data<double>().ToArray();
            Assert.Contains(tokens[i], TextGenerator.NucleusFilter(probabilities, 0.5));
        }
    }

    [Fact]
    public async Task Bad_prompts_and_options_are_rejected()
    {
        var generator = new TextGenerator(Fake());
        var e = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync([], 3).ToListAsync().AsTask());
        Assert.Contains("empty", e.Message);
        e = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync([1, Vocabulary], 3).ToListAsync().AsTask());
        Assert.Contains($"Token id {Vocabulary} at position 1", e.Message);
        e = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync([1], 3, new SamplingOptions(Temperature: -1)).ToListAsync().AsTask());
        Assert.Contains("Temperature", e.Message);
        e = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync([1], 3, new SamplingOptions(Temperature: 1, TopP: 0)).ToListAsync().AsTask());
        Assert.Contains("TopP", e.Message);
        Assert.Throws<ArgumentException>(() => TextGenerator.NucleusFilter([1.0], 1.5));
    }
}
