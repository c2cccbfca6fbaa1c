using System.Text;

namespace MoeGrains.Model.Data;

/// <summary>
/// Tokenizes text as its UTF-8 bytes: ids 0..255 are bytes, 256 is end-of-text and 257 is padding.
/// </summary>
public sealed class ByteTokenizer : ITokenizer
{
    /// <summary>The name stored in checkpoints.</summary>
    public const string TokenizerName = "bytes";

    /// <summary>The id that separates documents.</summary>
    public const int EndOfTextId = 256;

    /// <summary>The id used to pad rows; never produced by <see cref="Encode"/>.</summary>
    public const int PadId = 257;

    private const int ByteCount = 256;

    /// <inheritdoc />
    public string Name => TokenizerName;

    /// <inheritdoc />
    public int VocabularySize => 258;

    /// <inheritdoc />
    public int EndOfText => EndOfTextId;

    /// <summary>The padding id (257).</summary>
    public int Pad => PadId;

    /// <inheritdoc />
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var ids = new int[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            ids[i] = bytes[i];
        }

        return ids;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Special ids are skipped; byte sequences that are not valid UTF-8 decode to U+FFFD.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside 0..257.</exception>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var bytes = new byte[ids.Length];
        int count = 0;
        foreach (int id in ids)
        {
            if (id is < 0 or >= 258)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Byte tokenizer ids are 0..257; got {id}.");
            }

            if (id < ByteCount)
            {
                bytes[count++] = (byte)id;
            }
        }

        return Encoding.UTF8.GetString(bytes, 0, count);
    }
}
