using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MoeGrains.Diagnostics;

namespace MoeGrains.Cluster.Tests.Observability;

/// <summary>A <see cref="MeterListener"/> on the MoeGrains meter that keeps every measurement, in order.</summary>
internal sealed class MetricCapture : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<Measurement> measurements = new();

    public MetricCapture()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MoeMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.Start();
    }

    public sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
    {
        public string Tag(string key) => Convert.ToString(Tags[key], System.Globalization.CultureInfo.InvariantCulture)!;
    }

    /// <summary>Measurements of <paramref name="instrument"/> whose <c>model</c> tag (when it has one) is <paramref name="model"/>.</summary>
    public IReadOnlyList<Measurement> Of(string instrument, string? model = null) =>
        [.. measurements.Where(m => m.Instrument == instrument && (model is null || (m.Tags.TryGetValue("model", out var tag) && Equals(tag, model))))];

    public void Dispose() => listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags) copy[tag.Key] = tag.Value;
        measurements.Enqueue(new Measurement(instrument.Name, value, copy));
    }
}
