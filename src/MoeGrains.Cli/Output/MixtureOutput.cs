using System.Globalization;
using System.Text.Json.Nodes;
using MoeGrains.Model.Domains;
using MoeGrains.Model.Evaluation;
using Spectre.Console;

namespace MoeGrains.Cli.Output;

/// <summary>Prints a mixture evaluation: per domain, every single expert, the uniform, cached and top-k mixtures, and the chosen one.</summary>
internal static class MixtureOutput
{
    public static void WriteTable(DomainMixtureReport report, MixtureSettings chosen, string title)
    {
        var table = new Table().Title(title).AddColumn("domain");
        foreach (var expert in report.Experts) table.AddColumn(new TableColumn(expert).RightAligned());
        table.AddColumn(new TableColumn("uniform").RightAligned()).AddColumn(new TableColumn("cached").RightAligned());
        if (report.TopK is { } k) table.AddColumn(new TableColumn($"top-{k}").RightAligned());
        table.AddColumn(new TableColumn($"[bold]{chosen}[/]").RightAligned()).AddColumn(new TableColumn("tokens").RightAligned());
        foreach (var result in report.Domains)
        {
            var best = result.BestExpert;
            var cells = new List<string> { result.Domain };
            cells.AddRange(report.Experts.Select(e => e == best ? $"[green]{Format(result.Experts[e].Value)}[/]" : Format(result.Experts[e].Value)));
            cells.Add(Format(result.Uniform.Value));
            cells.Add(Format(result.Cached.Value));
            if (report.TopK is not null) cells.Add(Format(result.TopK!.Value));
            cells.Add($"[bold]{Format(Chosen(result, chosen).Value)}[/]");
            cells.Add(result.Uniform.Tokens.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow([.. cells]);
        }
        var overall = Overall(report, chosen);
        table.AddRow([.. new[] { "[bold]overall[/]" }.Concat(Enumerable.Repeat("", report.Experts.Count + 2 + (report.TopK is null ? 0 : 1)))
            .Append($"[bold]{Format(overall.Value)}[/]").Append(overall.Tokens.ToString("N0", CultureInfo.InvariantCulture))]);
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"Expert evaluations per block: full mixture {report.Experts.Count}{(report.TopK is { } top ? $", top-{top} {top}" : "")}. Cached priors from {report.PriorBlocks} validation blocks per domain.");
    }

    /// <summary>
    /// <c>{"mixture", "experts", "domains": {d: {"ppl", "tokens", "experts": {e: ppl}, "uniform", "updating", "cached", "topk", "prior": {e: w}}}, "overall": {"ppl", "tokens"}}</c>,
    /// where <c>ppl</c> is the chosen mixture's.
    /// </summary>
    public static string ToJson(DomainMixtureReport report, MixtureSettings chosen)
    {
        var domains = new JsonObject();
        foreach (var result in report.Domains)
        {
            var entry = new JsonObject
            {
                ["ppl"] = Chosen(result, chosen).Value,
                ["tokens"] = result.Uniform.Tokens,
                ["experts"] = new JsonObject(result.Experts.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value.Value))),
                ["uniform"] = result.Uniform.Value,
                ["updating"] = result.Updating.Value,
                ["cached"] = result.Cached.Value,
                ["prior"] = new JsonObject(result.CachedPrior.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value))),
            };
            if (result.TopK is not null) entry["topk"] = result.TopK.Value;
            domains[result.Domain] = entry;
        }
        var overall = Overall(report, chosen);
        return new JsonObject
        {
            ["mixture"] = chosen.ToString(),
            ["experts"] = new JsonArray([.. report.Experts.Select(e => (JsonNode?)e)]),
            ["domains"] = domains,
            ["overall"] = new JsonObject { ["ppl"] = overall.Value, ["tokens"] = overall.Tokens },
        }.ToJsonString();
    }

    private static Perplexity Chosen(DomainMixtureResult result, MixtureSettings chosen) => chosen switch
    {
        { TopK: not null } => result.TopK ?? throw new InvalidOperationException("The report has no top-k mixture."),
        { Mode: PriorMode.Uniform } => result.Uniform,
        { Mode: PriorMode.Updating } => result.Updating,
        _ => result.Cached,
    };

    private static Perplexity Overall(DomainMixtureReport report, MixtureSettings chosen) =>
        report.Domains.Aggregate(new Perplexity(0, 0), (sum, result) => sum.Add(Chosen(result, chosen)));

    private static string Format(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
