using System.Text.Json;

namespace MoeGrains.Model.Scoring.Tasks;

/// <summary>
/// Reads a multiple-choice task file completely (so a bad line stops everything before any scoring). The format is
/// told by the first line: an object with "template" opens a classification file (<see cref="ClassificationTaskFormat"/>),
/// one with "premise" and "choice1" is COPA (<see cref="CopaTaskFormat"/>), anything else the plain JSONL format
/// (<see cref="JsonlTaskFormat"/>). Blank lines are skipped.
/// </summary>
public static class TaskFile
{
    /// <summary>Every item of the file, in order.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line is not a JSON object or not a valid item, or the file has no items.</exception>
    public static IReadOnlyList<ChoiceItem> Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Task file '{path}' does not exist.", path);
        var lines = Parse(path);
        if (lines.Count == 0) throw TaskFileError.At(path, 0, "the file has no items.");
        var first = lines[0];
        IReadOnlyList<ChoiceItem> items =
            first.Has("template") ? ClassificationTaskFormat.Read(lines)
            : first.Has("premise") && first.Has("choice1") ? [.. lines.Select(CopaTaskFormat.Read)]
            : [.. lines.Select(JsonlTaskFormat.Read)];
        return items.Count > 0 ? items : throw TaskFileError.At(path, 0, "the file has no items.");
    }

    private static List<TaskLine> Parse(string path)
    {
        var lines = new List<TaskLine>();
        var number = 0;
        foreach (var text in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            JsonElement json;
            try
            {
                using var document = JsonDocument.Parse(text);
                json = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw TaskFileError.At(path, number, $"not valid JSON ({e.Message.Split('.')[0]}).", e);
            }
            if (json.ValueKind != JsonValueKind.Object) throw TaskFileError.At(path, number, $"expected a JSON object, got {json.ValueKind.ToString().ToLowerInvariant()}.");
            lines.Add(new TaskLine(path, number, json));
        }
        return lines;
    }
}
