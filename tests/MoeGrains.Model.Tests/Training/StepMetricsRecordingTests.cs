using System.Diagnostics.Metrics;
using MoeGrains.Diagnostics;
using MoeGrains.Model.Routing;
using MoeGrains.Model.Training;

namespace MoeGrains.Model.Tests.Training;

public class StepMetricsRecordingTests
{
    [Fact]
    public void Records_each_moe_layer_under_its_block_index_with_per_expert_tokens()
    {
        // MoeEvery = 2 over 4 blocks: the MoE layers are blocks 1 and 3, the first and second entries of Layers.
        var config = ModelConfig.FromPreset("tiny", GateKind.Switch, 258, "bytes") with { Layers = 4, MoeEvery = 2 };
        var bottom = LayerRoutingMetrics.From(new RoutingStatistics([5, 3, 0, 0], [4, 3, 0, 0], 0), 0);
        var top = LayerRoutingMetrics.From(new RoutingStatistics([2, 2, 2, 2], [2, 2, 2, 2], 0), 0);
        var step = new StepMetrics(1, Loss: 3.5, AuxLoss: 0, LearningRate: 1e-3, Tokens: 8, Seconds: 0.25, [bottom, top]);
        var seen = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MoeMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags) copy[tag.Key] = tag.Value;
            if (Equals(copy.GetValueOrDefault("model"), "recording-test")) seen.Add((instrument.Name, value, copy));
        }
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.Start();

        StepMetricsRecording.Record(step, "recording-test", config);

        Assert.Equal([1, 3], StepMetricsRecording.MoeBlocks(config));
        var tokens = seen.Where(m => m.Instrument == "moegrains.expert.tokens").ToList();
        Assert.Equal([(1, 0, 4.0), (1, 1, 3.0), (1, 2, 0.0), (1, 3, 0.0), (3, 0, 2.0), (3, 1, 2.0), (3, 2, 2.0), (3, 3, 2.0)],
            tokens.Select(m => ((int)m.Tags["layer"]!, (int)m.Tags["expert"]!, m.Value)));
        Assert.Equal([(1, 1.0), (3, 0.0)], seen.Where(m => m.Instrument == "moegrains.routing.dropped").Select(m => ((int)m.Tags["layer"]!, m.Value)));
        Assert.Equal([(1, 12.5), (3, 0.0)], seen.Where(m => m.Instrument == "moegrains.routing.overflow").Select(m => ((int)m.Tags["layer"]!, m.Value)));
        Assert.Equal(8.0, Assert.Single(seen, m => m.Instrument == "moegrains.training.tokens").Value);
        Assert.Equal(32.0, Assert.Single(seen, m => m.Instrument == "moegrains.training.throughput").Value);
        Assert.Equal(3.5, Assert.Single(seen, m => m.Instrument == "moegrains.training.loss").Value);
    }
}
