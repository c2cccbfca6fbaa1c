namespace MoeGrains.Model.Scoring.Tasks;

/// <summary>
/// COPA in its original fields, one item per line (the SuperGLUE JSONL form):
/// <c>{"premise": "...", "question": "cause"|"effect", "choice1": "...", "choice2": "...", "label": 0|1}</c>.
/// As in the PMI_DC reference: the context is the premise without its final period + " because" (cause) or " so"
/// (effect), the domain premise is just " because" or " so", and each alternative gets a leading space and a lowercase
/// first letter.
/// </summary>
public static class CopaTaskFormat
{
    /// <summary>The item for one COPA question.</summary>
    /// <exception cref="ArgumentException">The question is neither cause nor effect, or a text is empty.</exception>
    public static ChoiceItem Format(string premise, string question, string choice1, string choice2, int? label = null, int line = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(premise);
        ArgumentException.ThrowIfNullOrWhiteSpace(choice1);
        ArgumentException.ThrowIfNullOrWhiteSpace(choice2);
        var connective = question?.Trim().ToLowerInvariant() switch
        {
            "cause" => " because",
            "effect" => " so",
            _ => throw new ArgumentException($"The COPA question must be \"cause\" or \"effect\" (got \"{question}\")."),
        };
        var trimmed = premise.Trim();
        if (trimmed.EndsWith('.')) trimmed = trimmed[..^1];
        return new ChoiceItem(trimmed + connective, [Alternative(choice1), Alternative(choice2)], label, connective, Line: line);
    }

    internal static ChoiceItem Read(TaskLine line)
    {
        var label = line.OptionalInt("label");
        if (label is { } l && l is not (0 or 1)) throw line.Error($"label {l} is out of range for COPA's two choices (0 or 1).");
        try
        {
            return Format(line.RequiredText("premise"), line.RequiredText("question"), line.RequiredText("choice1"), line.RequiredText("choice2"), label, line.Number);
        }
        catch (ArgumentException e)
        {
            throw line.Error(e.Message);
        }
    }

    private static string Alternative(string text)
    {
        var trimmed = text.Trim();
        return " " + char.ToLowerInvariant(trimmed[0]) + trimmed[1..];
    }
}
