using System.Globalization;

namespace MoeGrains.Cli.Report;

/// <summary>Draws the report's PNGs: loss per run, tokens per expert for each MoE layer, overflow per layer.</summary>
internal static class ReportPlots
{
    public const string LossFile = "loss.png";
    public const string OverflowFile = "overflow.png";

    /// <summary><c>expert-load-layer-{block}.png</c>.</summary>
    public static string ExpertLoadFile(int layer) => string.Create(CultureInfo.InvariantCulture, $"expert-load-layer-{layer}.png");

    /// <summary>Writes every plot the data allows into <paramref name="folder"/> and returns the files written.</summary>
    public static IReadOnlyList<string> Write(ReportData data, string folder)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        if (data.Losses.Count > 0)
        {
            written.Add(Save(folder, LossFile, $"loss of {data.Name}", "nats per token", data.Losses));
        }
        if (data.Routing.Count == 0) return written;

        double[] steps = [.. data.Routing.Select(p => p.Step)];
        for (var l = 0; l < data.Layers.Count; l++)
        {
            var layer = l;
            var experts = data.Routing[0].ExpertTokens[layer].Count;
            var series = Enumerable.Range(0, experts)
                .Select(e => new ReportSeries($"expert {e}", steps, [.. data.Routing.Select(p => (double)p.ExpertTokens[layer][e])])).ToList();
            written.Add(Save(folder, ExpertLoadFile(data.Layers[layer]), $"{data.Name}: tokens per expert, MoE layer {data.Layers[layer]}", "tokens per step", series));
        }
        var overflow = Enumerable.Range(0, data.Layers.Count)
            .Select(l => new ReportSeries($"layer {data.Layers[l]}", steps, [.. data.Routing.Select(p => p.OverflowPercent[l])])).ToList();
        written.Add(Save(folder, OverflowFile, $"{data.Name}: overflow (dropped assignments)", "% of assignments", overflow));
        return written;
    }

    private static string Save(string folder, string file, string title, string yLabel, IReadOnlyList<ReportSeries> series)
    {
        var plot = new ScottPlot.Plot();
        foreach (var line in series)
        {
            var scatter = plot.Add.Scatter(line.Steps, line.Values);
            scatter.LegendText = line.Label;
            scatter.MarkerSize = line.Steps.Length == 1 ? 5 : 0;
        }
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel(yLabel);
        plot.ShowLegend(ScottPlot.Edge.Right);
        var path = Path.Combine(folder, file);
        plot.SavePng(path, 1000, 500);
        return path;
    }
}
