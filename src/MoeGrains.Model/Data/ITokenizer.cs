namespace MoeGrains.Model.Data;

/// <summary>Turns text into token ids and back.</summary>
public interface ITokenizer
{
    /// <summary>The name stored in checkpoints ("bytes" or "gpt2").</summary>
    string Name { get; }

    /// <summary>Number of token ids, specials included.</summary>
    int VocabularySize { get; }

    /// <summary>The id that separates documents in a token stream.</summary>
    int EndOfText { get; }

    /// <summary>Encodes text (no specials added).</summary>
    int[] Encode(string text);

    /// <summary>Decodes ids; special ids decode to nothing.</summary>
    string Decode(ReadOnlySpan<int> ids);
}
