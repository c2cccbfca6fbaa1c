using System.Text.Json;

namespace MoeGrains.Model.Scoring.Tasks;

/// <summary>
/// Labelled classification for channel and direct++ (and the other methods). The first line is the header
/// <c>{"template": "It was {label}.", "verbalizer": {"positive": "great", "negative": "terrible"}}</c>; every
/// further line is <c>{"input": "...", "label": "positive"}</c> (label optional, a verbalizer key). Each item becomes
/// context = the input, one choice per verbalizer entry (in header order) = " " + the template with {label} replaced by
/// the entry's word; channel therefore scores " " + input after the filled template.
/// </summary>
public static class ClassificationTaskFormat
{
    /// <summary>The slot the verbalised label fills.</summary>
    public const string LabelSlot = "{label}";

    internal static IReadOnlyList<ChoiceItem> Read(IReadOnlyList<TaskLine> lines)
    {
        var header = lines[0];
        var template = header.RequiredText("template");
        if (!template.Contains(LabelSlot, StringComparison.Ordinal)) throw header.Error($"the template has no {LabelSlot} slot.");
        var labels = new List<string>();
        var choices = new List<string>();
        foreach (var entry in header.Object("verbalizer").EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(entry.Value.GetString()))
                throw header.Error($"the verbalizer's word for \"{entry.Name}\" must be a non-empty string.");
            labels.Add(entry.Name);
            choices.Add(" " + template.Replace(LabelSlot, entry.Value.GetString(), StringComparison.Ordinal));
        }
        if (labels.Count < 2) throw header.Error($"the verbalizer needs at least two labels (got {labels.Count}).");

        var items = new List<ChoiceItem>();
        foreach (var line in lines.Skip(1))
        {
            var input = line.RequiredText("input");
            int? label = null;
            if (line.Has("label"))
            {
                var name = line.RequiredText("label");
                label = labels.IndexOf(name) is var index and >= 0
                    ? index
                    : throw line.Error($"label \"{name}\" is not in the verbalizer ({string.Join(", ", labels)}).");
            }
            items.Add(new ChoiceItem(input, choices, label, Domain: line.OptionalText("domain"), Line: line.Number));
        }
        return items;
    }
}
