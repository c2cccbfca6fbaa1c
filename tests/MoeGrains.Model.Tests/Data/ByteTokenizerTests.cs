using MoeGrains.Model.Data;

namespace MoeGrains.Model.Tests.Data;

public sealed class ByteTokenizerTests
{
    private readonly ByteTokenizer tokenizer = new();

    [Fact]
    public void Describes_itself()
    {
        Assert.Equal("bytes", tokenizer.Name);
        Assert.Equal(258, tokenizer.VocabularySize);
        Assert.Equal(256, tokenizer.EndOfText);
        Assert.Equal(257, tokenizer.Pad);
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain ASCII\nwith a newline")]
    [InlineData("Grüße, naïve café — 東京 🚀 Ωμέγα")]
    public void Round_trips_unicode_text(string text)
    {
        int[] ids = tokenizer.Encode(text);

        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(text), ids.Length);
        Assert.All(ids, id => Assert.InRange(id, 0, 255));
        Assert.Equal(text, tokenizer.Decode(ids));
    }

    [Fact]
    public void Encodes_utf8_bytes()
    {
        Assert.Equal([0x41, 0xC3, 0xA9], tokenizer.Encode("Aé"));
    }

    [Fact]
    public void Decode_skips_specials()
    {
        int[] ids = [.. tokenizer.Encode("ab"), 256, 257, .. tokenizer.Encode("c")];

        Assert.Equal("abc", tokenizer.Decode(ids));
    }

    [Fact]
    public void Decode_replaces_invalid_utf8_instead_of_throwing()
    {
        int[] truncated = tokenizer.Encode("é")[..1];

        Assert.Equal("x\uFFFD", tokenizer.Decode([.. tokenizer.Encode("x"), .. truncated]));
    }

    [Fact]
    public void Decode_rejects_ids_outside_the_vocabulary()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([258]));
    }
}
