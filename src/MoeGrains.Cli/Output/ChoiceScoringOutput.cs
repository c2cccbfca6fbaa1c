using System.Globalization;
using System.Text.Json.Nodes;
using MoeGrains.Abstractions.Inference;
using Spectre.Console;

namespace MoeGrains.Cli.Output;

/// <summary>Prints accuracy per scoring method as a table or as one JSON object.</summary>
internal static class ChoiceScoringOutput
{
    public static void WriteTable(IReadOnlyList<MethodAccuracyResult> report, string title)
    {
        var table = new Table().Title(Markup.Escape(title)).AddColumn("method").AddColumn(new TableColumn("accuracy").RightAligned())
            .AddColumn(new TableColumn("95 % bootstrap CI").RightAligned()).AddColumn(new TableColumn("n").RightAligned());
        foreach (var r in report)
            table.AddRow(Markup.Escape(r.Method), Format(r.Accuracy), $"[[{Format(r.Low)}, {Format(r.High)}]]", r.Count.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
    }

    /// <summary><c>{"methods": {"&lt;method&gt;": {"accuracy": …, "ci95": [lo, hi], "n": …}}}</c>.</summary>
    public static string ToJson(IReadOnlyList<MethodAccuracyResult> report)
    {
        var methods = new JsonObject();
        foreach (var r in report)
            methods[r.Method] = new JsonObject { ["accuracy"] = r.Accuracy, ["ci95"] = new JsonArray(r.Low, r.High), ["n"] = r.Count };
        return new JsonObject { ["methods"] = methods }.ToJsonString();
    }

    private static string Format(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
