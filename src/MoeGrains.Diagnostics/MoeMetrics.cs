using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MoeGrains.Diagnostics;

/// <summary>
/// The <c>MoeGrains</c> meter: every instrument MoeGrains records, and the calls that record them. Exporters subscribe by
/// <see cref="MeterName"/> (OpenTelemetry's <c>AddMeter("MoeGrains")</c>, a <see cref="MeterListener"/>).
/// </summary>
/// <remarks>
/// Tags: <c>model</c> (model name), <c>layer</c> (transformer block index, as in expert ids), <c>expert</c> (expert index,
/// or a domain name for mixture weights), <c>operation</c> and <c>side</c> (<c>router</c> in the silo, <c>client</c> in
/// the caller's process). Recording without a listener costs a few nanoseconds per call.
/// </remarks>
public static class MoeMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "MoeGrains";

    /// <summary>The <c>side</c> tag of request durations measured in the router grain.</summary>
    public const string RouterSide = "router";

    /// <summary>The <c>side</c> tag of request durations measured by the client SDK.</summary>
    public const string ClientSide = "client";

    /// <summary>The meter every instrument belongs to.</summary>
    public static readonly Meter Meter = new(MeterName, typeof(MoeMetrics).Assembly.GetName().Version?.ToString());

    /// <summary>Tokens (positions) trained on; its rate is the training throughput. Tags: model.</summary>
    public static readonly Counter<long> TrainingTokens = Meter.CreateCounter<long>(
        "moegrains.training.tokens", "{token}", "Tokens (positions) trained on.");

    /// <summary>Optimizer steps taken. Tags: model.</summary>
    public static readonly Counter<long> TrainingSteps = Meter.CreateCounter<long>(
        "moegrains.training.steps", "{step}", "Optimizer steps taken.");

    /// <summary>Throughput of the latest step. Tags: model.</summary>
    public static readonly Gauge<double> TrainingThroughput = Meter.CreateGauge<double>(
        "moegrains.training.throughput", "{token}/s", "Tokens per second of the latest training step.");

    /// <summary>Language-model loss of the latest step. Tags: model.</summary>
    public static readonly Gauge<double> TrainingLoss = Meter.CreateGauge<double>(
        "moegrains.training.loss", "nat", "Language-model cross-entropy of the latest training step (nats per token).");

    /// <summary>Tokens each expert processed after capacity dropping. Tags: model, layer, expert.</summary>
    public static readonly Counter<long> ExpertTokens = Meter.CreateCounter<long>(
        "moegrains.expert.tokens", "{token}", "Tokens routed to and processed by each expert (after capacity dropping).");

    /// <summary>Assignments dropped at expert capacity. Tags: model, layer.</summary>
    public static readonly Counter<long> DroppedTokens = Meter.CreateCounter<long>(
        "moegrains.routing.dropped", "{token}", "Token-to-expert assignments dropped at expert capacity.");

    /// <summary>Overflow of the latest training step: dropped assignments as a percentage of requested ones. Tags: model, layer.</summary>
    public static readonly Gauge<double> Overflow = Meter.CreateGauge<double>(
        "moegrains.routing.overflow", "%", "Dropped assignments as a percentage of requested ones, latest training step.");

    /// <summary>Posterior weights of a mixture of (domain) experts, one value per expert and item. Tags: model, expert.</summary>
    public static readonly Histogram<double> MixtureWeight = Meter.CreateHistogram<double>(
        "moegrains.mixture.weight", "1", "Weight of each expert in a mixture of experts (0 to 1), one value per scored item.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95] });

    /// <summary>Bytes of checkpoint blobs written (save) and read (load). Tags: operation.</summary>
    public static readonly Counter<long> CheckpointBytes = Meter.CreateCounter<long>(
        "moegrains.checkpoint.bytes", "By", "Bytes of checkpoint blobs saved and loaded.");

    /// <summary>Duration of one checkpoint blob save or load. Tags: operation.</summary>
    public static readonly Histogram<double> CheckpointDuration = Meter.CreateHistogram<double>(
        "moegrains.checkpoint.duration", "s", "Duration of one checkpoint blob save or load (upload or download and verification).");

    /// <summary>Duration of a whole checkpoint commit by the router (router and expert blobs, manifest). Tags: model.</summary>
    public static readonly Histogram<double> CheckpointCommitDuration = Meter.CreateHistogram<double>(
        "moegrains.checkpoint.commit.duration", "s", "Duration of committing a whole model version (every blob and the manifest).");

    /// <summary>Duration of evaluation, scoring and generation requests. Tags: model, operation, side, outcome.</summary>
    public static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>(
        "moegrains.request.duration", "s", "Duration of evaluate, score and generate requests, in the router and at the client.");

    /// <summary>Records one training step of <paramref name="model"/>.</summary>
    public static void RecordTrainingStep(string model, long tokens, double seconds, double loss)
    {
        var tag = new KeyValuePair<string, object?>("model", model);
        TrainingTokens.Add(tokens, tag);
        TrainingSteps.Add(1, tag);
        if (seconds > 0) TrainingThroughput.Record(tokens / seconds, tag);
        TrainingLoss.Record(loss, tag);
    }

    /// <summary>Records what one MoE layer's routing did in one training step.</summary>
    /// <param name="model">The model.</param>
    /// <param name="layer">The transformer block index of the MoE layer.</param>
    /// <param name="expertTokens">Tokens each expert processed, by expert index.</param>
    /// <param name="dropped">Assignments dropped at capacity.</param>
    /// <param name="overflowPercent">Dropped assignments as a percentage of requested ones.</param>
    public static void RecordRouting(string model, int layer, IReadOnlyList<long> expertTokens, long dropped, double overflowPercent)
    {
        ArgumentNullException.ThrowIfNull(expertTokens);
        var modelTag = new KeyValuePair<string, object?>("model", model);
        var layerTag = new KeyValuePair<string, object?>("layer", layer);
        for (var expert = 0; expert < expertTokens.Count; expert++)
            ExpertTokens.Add(expertTokens[expert], modelTag, layerTag, new KeyValuePair<string, object?>("expert", expert));
        DroppedTokens.Add(dropped, modelTag, layerTag);
        Overflow.Record(overflowPercent, modelTag, layerTag);
    }

    /// <summary>Records the weight of one expert in a mixture (for example a DEMix domain posterior) for one item.</summary>
    /// <param name="model">The model (or mixture) name.</param>
    /// <param name="expert">The expert: its index or domain name.</param>
    /// <param name="weight">Its weight, 0 to 1.</param>
    public static void RecordMixtureWeight(string model, string expert, double weight) =>
        MixtureWeight.Record(weight, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("expert", expert));

    /// <summary>Records a whole mixture's weights for one item: <paramref name="weights"/>[i] belongs to <paramref name="experts"/>[i].</summary>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public static void RecordMixtureWeights(string model, IReadOnlyList<string> experts, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(experts);
        ArgumentNullException.ThrowIfNull(weights);
        if (experts.Count != weights.Count)
            throw new ArgumentException($"{weights.Count} mixture weights for {experts.Count} experts.", nameof(weights));
        for (var i = 0; i < experts.Count; i++) RecordMixtureWeight(model, experts[i], weights[i]);
    }

    /// <summary>Records one checkpoint blob saved or loaded.</summary>
    /// <param name="operation"><c>save</c> or <c>load</c>.</param>
    /// <param name="bytes">The blob's size.</param>
    /// <param name="elapsed">How long it took.</param>
    public static void RecordCheckpointTransfer(string operation, long bytes, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("operation", operation);
        CheckpointBytes.Add(bytes, tag);
        CheckpointDuration.Record(elapsed.TotalSeconds, tag);
    }

    /// <summary>Records a committed model version.</summary>
    public static void RecordCheckpointCommit(string model, TimeSpan elapsed) =>
        CheckpointCommitDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("model", model));

    /// <summary>Records one request's duration.</summary>
    /// <param name="side"><see cref="RouterSide"/> or <see cref="ClientSide"/>.</param>
    /// <param name="model">The model.</param>
    /// <param name="operation"><c>evaluate</c>, <c>score</c> or <c>generate</c>.</param>
    /// <param name="startTimestamp">A <see cref="Stopwatch.GetTimestamp"/> taken when the request started.</param>
    /// <param name="failed">Whether it ended with an exception (tag <c>outcome</c> = <c>error</c>, else <c>ok</c>).</param>
    public static void RecordRequest(string side, string model, string operation, long startTimestamp, bool failed = false)
    {
        var tags = new TagList
        {
            { "model", model },
            { "operation", operation },
            { "side", side },
            { "outcome", failed ? "error" : "ok" },
        };
        RequestDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }
}
