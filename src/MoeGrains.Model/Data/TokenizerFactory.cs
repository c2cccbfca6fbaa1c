namespace MoeGrains.Model.Data;

/// <summary>Creates tokenizers by the name stored in checkpoints and given on the command line.</summary>
public static class TokenizerFactory
{
    /// <summary>The valid tokenizer names: "bytes" and "gpt2".</summary>
    public static IReadOnlyList<string> Names { get; } = [ByteTokenizer.TokenizerName, Gpt2Tokenizer.TokenizerName];

    /// <summary>Creates the tokenizer with the given name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static ITokenizer Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.Equals(name, ByteTokenizer.TokenizerName, StringComparison.OrdinalIgnoreCase))
        {
            return new ByteTokenizer();
        }

        if (string.Equals(name, Gpt2Tokenizer.TokenizerName, StringComparison.OrdinalIgnoreCase))
        {
            return new Gpt2Tokenizer();
        }

        throw new ArgumentException(
            $"Unknown tokenizer '{name}'. Valid tokenizers: {string.Join(", ", Names)}.", nameof(name));
    }
}
