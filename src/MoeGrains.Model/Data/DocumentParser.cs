namespace MoeGrains.Model.Data;

/// <summary>Splits corpus file text into documents.</summary>
internal static class DocumentParser
{
    /// <summary>
    /// Returns the documents of a file: runs of non-blank lines, separated by blank lines. The corpus
    /// format has exactly one empty line between documents; this parser also accepts several blank lines,
    /// whitespace-only lines, CRLF newlines and a missing or extra final newline. Lines inside a document
    /// are joined with "\n" and keep their indentation.
    /// </summary>
    public static List<string> Parse(string text)
    {
        var documents = new List<string>();
        var lines = new List<string>();
        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.EndsWith('\r') ? rawLine[..^1] : rawLine;
            if (string.IsNullOrWhiteSpace(line))
            {
                Flush(lines, documents);
            }
            else
            {
                lines.Add(line);
            }
        }

        Flush(lines, documents);
        return documents;
    }

    private static void Flush(List<string> lines, List<string> documents)
    {
        if (lines.Count > 0)
        {
            documents.Add(string.Join('\n', lines));
            lines.Clear();
        }
    }
}
