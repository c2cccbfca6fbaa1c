using System.Globalization;
using MoeGrains.Model.Domains;

namespace MoeGrains.Cli.Output;

/// <summary>The DEMix pictures of a mixture evaluation: the domain-posterior heatmap and each expert's perplexity per domain.</summary>
internal static class DomainPlots
{
    /// <summary>Experts (rows) × evaluation domains (columns): the cached prior of each domain, as in the DEMix paper.</summary>
    public static void WritePosteriorHeatmap(string path, DomainMixtureReport report, string title)
    {
        var (rows, columns) = (report.Experts.Count, report.Domains.Count);
        var values = new double[rows, columns];
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < columns; c++)
            values[r, c] = report.Domains[c].CachedPrior[report.Experts[r]];

        var plot = new ScottPlot.Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        plot.Add.ColorBar(heatmap);
        // row 0 is drawn at the top: cell (r, c) is centred on x = c, y = rows − 1 − r
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < columns; c++)
        {
            var label = plot.Add.Text(values[r, c].ToString("F2", CultureInfo.InvariantCulture), c, rows - 1 - r);
            label.Alignment = ScottPlot.Alignment.MiddleCenter;
            label.LabelFontColor = values[r, c] > 0.6 ? ScottPlot.Colors.Black : ScottPlot.Colors.White;
        }
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, columns).Select(c => (double)c)], [.. report.Domains.Select(d => d.Domain)]);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, rows).Select(r => (double)(rows - 1 - r))], [.. report.Experts]);
        plot.Title(title);
        plot.XLabel("evaluation domain");
        plot.YLabel("expert");
        plot.SavePng(path, 160 + 110 * columns, 140 + 60 * rows);
    }

    /// <summary>Per evaluation domain, a group of bars: every single expert's perplexity, then the uniform and cached mixtures.</summary>
    public static void WriteExpertPerplexityBars(string path, DomainMixtureReport report, string title)
    {
        var series = report.Experts.Select(name => (Name: name, Value: (Func<DomainMixtureResult, double>)(r => r.Experts[name].Value)))
            .Append(("uniform mixture", r => r.Uniform.Value))
            .Append(("cached-prior mixture", r => r.Cached.Value))
            .ToList();
        var palette = new ScottPlot.Palettes.Category20();
        var plot = new ScottPlot.Plot();
        var width = series.Count + 1.0;
        for (var s = 0; s < series.Count; s++)
        {
            var color = palette.GetColor(s);
            var bars = report.Domains.Select((result, d) => new ScottPlot.Bar
            {
                Position = d * width + s,
                Value = series[s].Value(result),
                FillColor = color,
            }).ToList();
            plot.Add.Bars(bars);
            plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = series[s].Name, FillColor = color });
        }
        plot.Axes.Bottom.SetTicks([.. report.Domains.Select((_, d) => d * width + (series.Count - 1) / 2.0)], [.. report.Domains.Select(r => r.Domain)]);
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.XLabel("evaluation domain");
        plot.YLabel("perplexity");
        plot.ShowLegend(ScottPlot.Edge.Right);
        plot.SavePng(path, Math.Max(900, 60 * series.Count * report.Domains.Count / 2), 520);
    }
}
