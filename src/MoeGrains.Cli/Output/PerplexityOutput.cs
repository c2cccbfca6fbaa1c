using System.Globalization;
using System.Text.Json.Nodes;
using MoeGrains.Model.Evaluation;
using Spectre.Console;

namespace MoeGrains.Cli.Output;

/// <summary>Prints a perplexity report as a table or as one JSON object.</summary>
internal static class PerplexityOutput
{
    public static void WriteTable(PerplexityReport report, string title)
    {
        var table = new Table().Title(title).AddColumn("domain").AddColumn(new TableColumn("perplexity").RightAligned())
            .AddColumn(new TableColumn("tokens").RightAligned());
        foreach (var (domain, perplexity) in report.Domains)
            table.AddRow(domain, Format(perplexity.Value), perplexity.Tokens.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("[bold]overall[/]", $"[bold]{Format(report.Overall.Value)}[/]", report.Overall.Tokens.ToString("N0", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
    }

    public static string ToJson(PerplexityReport report)
    {
        var domains = new JsonObject();
        foreach (var (domain, perplexity) in report.Domains) domains[domain] = Entry(perplexity);
        var root = new JsonObject { ["domains"] = domains, ["overall"] = Entry(report.Overall) };
        return root.ToJsonString();
    }

    private static JsonObject Entry(Perplexity perplexity) => new() { ["ppl"] = perplexity.Value, ["tokens"] = perplexity.Tokens };

    private static string Format(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
