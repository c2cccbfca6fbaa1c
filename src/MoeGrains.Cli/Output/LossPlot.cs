using MoeGrains.Model.Training;

namespace MoeGrains.Cli.Output;

/// <summary>Draws the training loss curve (and the load-balancing loss when there is one) to a PNG.</summary>
internal static class LossPlot
{
    public static void Write(string path, IReadOnlyList<StepMetrics> history, string title)
    {
        var plot = new ScottPlot.Plot();
        double[] steps = [.. history.Select(m => (double)m.Step)];
        var loss = plot.Add.Scatter(steps, history.Select(m => m.Loss).ToArray());
        loss.LegendText = "LM loss";
        loss.MarkerSize = 0;
        if (history.Any(m => m.AuxLoss > 0))
        {
            var aux = plot.Add.Scatter(steps, history.Select(m => m.AuxLoss).ToArray());
            aux.LegendText = "load-balancing loss (unweighted)";
            aux.MarkerSize = 0;
        }
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel("nats per token");
        plot.ShowLegend();
        plot.SavePng(path, 900, 500);
    }
}
