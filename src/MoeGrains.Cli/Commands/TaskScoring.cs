using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Inference;
using MoeGrains.Cli.Cluster;
using MoeGrains.Cli.Output;
using MoeGrains.Model;
using MoeGrains.Model.Checkpoints;
using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using MoeGrains.Model.Inference;
using MoeGrains.Model.Scoring;
using MoeGrains.Model.Scoring.Tasks;

namespace MoeGrains.Cli.Commands;

/// <summary><c>moe score --tasks FILE</c>: a checkpoint folder in this process, or a model through the cluster.</summary>
internal static class TaskScoring
{
    public static async Task<int> RunAsync(ScoreSettings settings, string tasks, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(settings.Checkpoint) == string.IsNullOrWhiteSpace(settings.Model))
            throw new ArgumentException("Give either --checkpoint DIR (a folder written by moe train --in-process) or --model NAME (a model in the cluster).");
        var items = TaskFile.Load(tasks);
        var methods = ScoringMethods.Resolve(settings.Method, items);
        using var loggerFactory = CliLogging.Create(LogLevel.Warning);
        var (report, under) = settings.Model is { } model
            ? await InClusterAsync(settings, model, items, methods, loggerFactory, cancellationToken)
            : await InProcessAsync(settings, settings.Checkpoint!, items, methods, loggerFactory.CreateLogger("moe.score"), cancellationToken);
        if (settings.Json) Console.Out.WriteLine(ChoiceScoringOutput.ToJson(report));
        else ChoiceScoringOutput.WriteTable(report, $"{Path.GetFileName(tasks)} ({items.Count} items) under {under}");
        return 0;
    }

    private static async Task<(IReadOnlyList<MethodAccuracyResult> Report, string Under)> InProcessAsync(ScoreSettings settings, string checkpoint,
        IReadOnlyList<ChoiceItem> items, IReadOnlyList<ScoringMethod> methods, ILogger logger, CancellationToken cancellationToken)
    {
        if (settings.Shared)
            throw new ArgumentException($"--shared is for --model NAME; to score a mixture folder's shared weights, give --checkpoint {Path.Combine(checkpoint, "shared")}.");
        if (DomainMixtureFolder.Exists(checkpoint))
            return await MixtureTaskScoring.InProcessAsync(settings, checkpoint, items, methods, logger, cancellationToken);
        if (settings.Mixture is not null)
            throw new ArgumentException($"--mixture scores over a mixture of domain experts (a folder written by moe train --branch --in-process); '{checkpoint}' is not one.");
        var config = ModelCheckpoint.ReadConfig(checkpoint);
        using var model = ModelCheckpoint.Load(checkpoint, DeviceSelector.Resolve(settings.Device, logger));
        var scorer = new BatchedContinuationScorer(LogitsSource.ForModel(model));
        var report = await MultipleChoiceEvaluation.EvaluateAsync(scorer, TokenizerFactory.Create(config.Tokenizer), items, methods, settings.Seed, cancellationToken);
        return (ToResults(report), checkpoint);
    }

    /// <summary>The model library's report as the wire records the output prints.</summary>
    public static IReadOnlyList<MethodAccuracyResult> ToResults(IReadOnlyList<MethodAccuracy> report) =>
        [.. report.Select(r => new MethodAccuracyResult(r.Method.Name(), r.Accuracy, r.Low, r.High, r.Count, r.Predictions))];

    /// <summary>The items as wire records.</summary>
    public static IReadOnlyList<MultipleChoiceItem> ToWire(IReadOnlyList<ChoiceItem> items) =>
        [.. items.Select(i => new MultipleChoiceItem(i.Context, i.Choices, i.Label, i.DomainPremise, i.Domain, i.Line))];

    private static async Task<(IReadOnlyList<MethodAccuracyResult> Report, string Under)> InClusterAsync(ScoreSettings settings, string model,
        IReadOnlyList<ChoiceItem> items, IReadOnlyList<ScoringMethod> methods, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (settings.Shared && settings.Mixture is not null)
            throw new ArgumentException("Give --mixture (score the mixture of domain experts) or --shared (score the shared weights), not both.");
        await using var session = await ClusterSession.OpenAsync(settings, loggers, LogLevel.Warning, cancellationToken);
        var request = new ChoiceScoringRequest(ToWire(items), [.. methods.Select(m => m.Name())], settings.Seed);
        if (settings.Shared) return (await session.Client.ScoreChoicesAsync(model, request), $"{model} (shared weights)");
        var mixture = await session.Client.GetDomainMixtureAsync(model);
        if (mixture.Version > 0 || settings.Mixture is not null)
            return await MixtureTaskScoring.InClusterAsync(settings, session.Client, model, mixture, request, cancellationToken);
        return (await session.Client.ScoreChoicesAsync(model, request), model);
    }
}
