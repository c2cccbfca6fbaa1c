using System.Text.Json;
using MoeGrains.Abstractions.Training;
using MoeGrains.Model;
using MoeGrains.Model.Training;

namespace MoeGrains.Cli.Report;

/// <summary>What <c>moe report</c> plots, from a model's training history or from a run folder's metrics.jsonl.</summary>
/// <param name="Name">The model or run, for titles.</param>
/// <param name="Losses">One loss curve per run, over the model's steps.</param>
/// <param name="Layers">Labels of the MoE layers (transformer block indices), bottom to top.</param>
/// <param name="Routing">Sampled routing, in step order; empty when none was recorded.</param>
internal sealed record ReportData(string Name, IReadOnlyList<ReportSeries> Losses, IReadOnlyList<int> Layers, IReadOnlyList<RoutingPoint> Routing)
{
    /// <summary>From a router's history: runs follow each other on the model's step axis.</summary>
    public static ReportData FromHistory(TrainingHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var losses = new List<ReportSeries>();
        var routing = new List<RoutingPoint>();
        foreach (var run in history.Runs)
        {
            if (run.Losses.Count > 0)
                losses.Add(new ReportSeries($"run {run.Run} ({run.State.ToString().ToLowerInvariant()})",
                    [.. Enumerable.Range(1, run.Losses.Count).Select(i => (double)(run.StartStep + i))], [.. run.Losses]));
            foreach (var sample in run.Routing)
            {
                if (history.Experts == 0 || sample.ExpertTokens.Count != history.MoeLayers.Count * history.Experts)
                    throw new InvalidDataException($"Run {run.Run} step {sample.Step}: {sample.ExpertTokens.Count} expert counts for {history.MoeLayers.Count} layers × {history.Experts} experts.");
                var layers = Enumerable.Range(0, history.MoeLayers.Count)
                    .Select(l => (IReadOnlyList<long>)[.. sample.ExpertTokens.Skip(l * history.Experts).Take(history.Experts)]).ToList();
                routing.Add(new RoutingPoint(run.StartStep + sample.Step, layers, sample.OverflowPercent));
            }
        }
        return new ReportData(history.Model, losses, history.MoeLayers, routing);
    }

    /// <summary>
    /// From a training output folder: metrics.jsonl (every logged step's loss, and for in-process runs each MoE layer's
    /// expert tokens and overflow); config.json, when there, names the MoE layers' blocks.
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder has no metrics.jsonl.</exception>
    /// <exception cref="InvalidDataException">A line is not a metrics record (the message names it).</exception>
    public static ReportData FromRunFolder(string folder)
    {
        var path = Path.Combine(folder, "metrics.jsonl");
        if (!File.Exists(path)) throw new FileNotFoundException($"'{folder}' has no metrics.jsonl: not a training output folder.");
        var steps = new List<double>();
        var losses = new List<double>();
        var routing = new List<RoutingPoint>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var record = JsonDocument.Parse(line);
                var root = record.RootElement;
                var step = root.GetProperty("step").GetDouble();
                steps.Add(step);
                losses.Add(root.GetProperty("loss").GetDouble());
                if (root.TryGetProperty("layers", out var layers) && layers.GetArrayLength() > 0
                    && layers[0].TryGetProperty("expertTokens", out _))
                {
                    routing.Add(new RoutingPoint(step,
                        [.. layers.EnumerateArray().Select(l => (IReadOnlyList<long>)[.. l.GetProperty("expertTokens").EnumerateArray().Select(t => t.GetInt64())])],
                        [.. layers.EnumerateArray().Select(l => l.GetProperty("overflowPercent").GetDouble())]));
                }
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{path} line {lineNumber} is not a metrics record: {e.Message}", e);
            }
        }
        var layerCount = routing.Count > 0 ? routing[0].OverflowPercent.Count : 0;
        var configPath = Path.Combine(folder, "config.json");
        IReadOnlyList<int> blocks = File.Exists(configPath) ? StepMetricsRecording.MoeBlocks(ModelConfig.FromJson(File.ReadAllText(configPath))) : [];
        if (blocks.Count != layerCount) blocks = [.. Enumerable.Range(0, layerCount)];
        var name = Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar));
        return new ReportData(name, [new ReportSeries("run", [.. steps], [.. losses])], blocks, routing);
    }
}
