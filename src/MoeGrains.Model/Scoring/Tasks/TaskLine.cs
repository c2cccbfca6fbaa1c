using System.Text.Json;

namespace MoeGrains.Model.Scoring.Tasks;

/// <summary>One JSON object line of a task file, with field readers that throw <see cref="InvalidDataException"/> naming the line.</summary>
internal sealed class TaskLine(string path, int number, JsonElement json)
{
    public int Number { get; } = number;

    public bool Has(string field) => json.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null;

    public InvalidDataException Error(string problem) => TaskFileError.At(path, Number, problem);

    public string RequiredText(string field)
    {
        if (!json.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) throw Error($"\"{field}\" is missing.");
        if (value.ValueKind != JsonValueKind.String) throw Error($"\"{field}\" must be a string (got {Kind(value)}).");
        var text = value.GetString()!;
        return string.IsNullOrWhiteSpace(text) ? throw Error($"\"{field}\" is empty.") : text;
    }

    public string? OptionalText(string field) => Has(field) ? RequiredText(field) : null;

    public int? OptionalInt(string field)
    {
        if (!Has(field)) return null;
        var value = json.GetProperty(field);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw Error($"\"{field}\" must be an integer (got {Kind(value)} {value.GetRawText()}).");
    }

    public IReadOnlyList<string> TextArray(string field)
    {
        if (!json.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) throw Error($"\"{field}\" is missing: the item has no choices.");
        if (value.ValueKind != JsonValueKind.Array) throw Error($"\"{field}\" must be an array of strings (got {Kind(value)}).");
        var texts = new List<string>();
        foreach (var element in value.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.String) throw Error($"\"{field}\"[{texts.Count}] must be a string (got {Kind(element)}).");
            var text = element.GetString()!;
            if (string.IsNullOrWhiteSpace(text)) throw Error($"\"{field}\"[{texts.Count}] is an empty choice.");
            texts.Add(text);
        }
        return texts;
    }

    public JsonElement Object(string field)
    {
        if (!json.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.Object) throw Error($"\"{field}\" must be an object.");
        return value;
    }

    private static string Kind(JsonElement value) => value.ValueKind.ToString().ToLowerInvariant();
}
