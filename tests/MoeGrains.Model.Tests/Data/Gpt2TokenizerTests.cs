using MoeGrains.Model.Data;

namespace MoeGrains.Model.Tests.Data;

public sealed class Gpt2TokenizerTests
{
    private readonly Gpt2Tokenizer tokenizer = new();

    [Fact]
    public void Describes_itself()
    {
        Assert.Equal("gpt2", tokenizer.Name);
        Assert.Equal(50257, tokenizer.VocabularySize);
        Assert.Equal(50256, tokenizer.EndOfText);
    }

    [Fact]
    public void Encodes_known_ids_from_the_bundled_vocabulary()
    {
        Assert.Equal([15496, 995], tokenizer.Encode("Hello world"));
        Assert.Equal([464, 2068, 7586, 21831, 13], tokenizer.Encode("The quick brown fox."));
    }

    [Theory]
    [InlineData("Hello world")]
    [InlineData("def f(x):\n    return x ** 2  # square")]
    [InlineData("Grüße, naïve café — 東京 🚀")]
    public void Round_trips(string text)
    {
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void Decode_skips_end_of_text()
    {
        int[] ids = [.. tokenizer.Encode("Hello"), 50256, .. tokenizer.Encode(" world"), 50256];

        Assert.Equal("Hello world", tokenizer.Decode(ids));
    }

    [Fact]
    public void Decode_is_lenient_with_split_multibyte_characters()
    {
        int[] ids = tokenizer.Encode("🚀");
        Assert.True(ids.Length > 1, "the emoji should need several byte-level tokens");

        string decoded = tokenizer.Decode(ids.AsSpan(0, 1));

        Assert.DoesNotContain("🚀", decoded);
        Assert.Contains('\uFFFD', decoded);
    }

    [Fact]
    public void Decode_rejects_ids_outside_the_vocabulary()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([50257]));
    }
}
