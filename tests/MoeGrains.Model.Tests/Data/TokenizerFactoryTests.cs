using MoeGrains.Model.Data;

namespace MoeGrains.Model.Tests.Data;

public sealed class TokenizerFactoryTests
{
    [Fact]
    public void Lists_both_names()
    {
        Assert.Equal(["bytes", "gpt2"], TokenizerFactory.Names);
    }

    [Theory]
    [InlineData("bytes", typeof(ByteTokenizer))]
    [InlineData("BYTES", typeof(ByteTokenizer))]
    [InlineData("gpt2", typeof(Gpt2Tokenizer))]
    [InlineData("GPT2", typeof(Gpt2Tokenizer))]
    public void Creates_by_name_ignoring_case(string name, Type expected)
    {
        ITokenizer tokenizer = TokenizerFactory.Create(name);

        Assert.IsType(expected, tokenizer);
        Assert.Equal(name.ToLowerInvariant(), tokenizer.Name);
    }

    [Fact]
    public void Unknown_name_names_the_value_and_the_valid_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => TokenizerFactory.Create("sentencepiece"));

        Assert.Contains("'sentencepiece'", error.Message);
        Assert.Contains("bytes", error.Message);
        Assert.Contains("gpt2", error.Message);
    }
}
