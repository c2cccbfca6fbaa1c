using System.Text.Encodings.Web;
using System.Text.Json;

namespace MoeGrains.Model.Scoring.Tasks;

/// <summary>
/// The plain task format, one item per line:
/// <c>{"context": "...", "choices": ["...", ...], "label": 0, "domain_premise": "...", "domain": "..."}</c>
/// (label, domain_premise and domain optional). Choices are scored after the context exactly as written.
/// </summary>
public static class JsonlTaskFormat
{
    internal static ChoiceItem Read(TaskLine line)
    {
        var context = line.RequiredText("context");
        var choices = line.TextArray("choices");
        if (choices.Count < 2) throw line.Error($"an item needs at least two choices (got {choices.Count}).");
        var label = line.OptionalInt("label");
        if (label is { } l && (l < 0 || l >= choices.Count)) throw line.Error($"label {l} is out of range for {choices.Count} choices (0..{choices.Count - 1}).");
        return new ChoiceItem(context, choices, label, line.OptionalText("domain_premise"), line.OptionalText("domain"), line.Number);
    }

    /// <summary>Writes <paramref name="items"/> in this format, one object per line (UTF-8, non-ASCII kept as is).</summary>
    public static void Write(string path, IReadOnlyList<ChoiceItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var options = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        foreach (var item in items)
        {
            var line = new Dictionary<string, object> { ["context"] = item.Context, ["choices"] = item.Choices };
            if (item.Label is { } label) line["label"] = label;
            if (item.DomainPremise is not null) line["domain_premise"] = item.DomainPremise;
            if (item.Domain is not null) line["domain"] = item.Domain;
            writer.WriteLine(JsonSerializer.Serialize(line, options));
        }
    }
}
