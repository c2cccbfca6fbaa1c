using Microsoft.Extensions.Logging;
using MoeGrains.Cli.Cluster;
using MoeGrains.Cli.Output;
using MoeGrains.Model;
using MoeGrains.Model.Checkpoints;
using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using MoeGrains.Model.Evaluation;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary><c>moe eval</c>: per-domain perplexity of a checkpoint folder (in this process) or of a model (through grains).</summary>
internal sealed class EvalCommand : AsyncCommand<EvalSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, EvalSettings settings, CancellationToken cancellationToken)
    {
        var level = settings.Json ? LogLevel.Warning : LogLevel.Information;
        using var loggerFactory = CliLogging.Create(level);
        var logger = loggerFactory.CreateLogger("moe.eval");
        if (string.IsNullOrWhiteSpace(settings.Checkpoint) == string.IsNullOrWhiteSpace(settings.Model))
            throw new ArgumentException("Give either --checkpoint DIR (a folder written by moe train --in-process) or --model NAME (a model in the cluster).");
        var split = settings.Split.ToLowerInvariant() switch
        {
            "valid" => CorpusSplit.Valid,
            "test" => CorpusSplit.Test,
            _ => throw new ArgumentException($"Unknown split '{settings.Split}'. Expected valid or test."),
        };
        if (settings.Batch <= 0) throw new ArgumentException($"--batch must be positive (got {settings.Batch}).");
        if (settings.Checkpoint is { } folder && DomainMixtureFolder.Exists(folder))
            return await MixtureEvaluation.RunAsync(settings, folder, split, logger, cancellationToken);
        if (settings.Mixture is not null && settings.Model is { } mixtureModel)
            return await MixtureEvaluation.RunInClusterAsync(settings, mixtureModel, split, loggerFactory, level, cancellationToken);
        if (settings.Mixture is not null)
            throw new ArgumentException($"--mixture evaluates a mixture of domain experts (a folder written by moe train --branch --in-process); '{settings.Checkpoint ?? settings.Model}' is not one.");

        var report = settings.Model is { } model
            ? await EvaluateInClusterAsync(settings, model, split, loggerFactory, level, cancellationToken)
            : EvaluateInProcess(settings, settings.Checkpoint!, split, logger);
        if (settings.Json) Console.Out.WriteLine(PerplexityOutput.ToJson(report));
        else PerplexityOutput.WriteTable(report, $"{settings.Split} perplexity of {settings.Model ?? settings.Checkpoint}");
        return 0;
    }

    private static PerplexityReport EvaluateInProcess(EvalSettings settings, string checkpoint, CorpusSplit split, ILogger logger)
    {
        var config = ModelCheckpoint.ReadConfig(checkpoint);
        var tokenizer = TokenizerFactory.Create(config.Tokenizer);
        var corpus = DomainCorpus.Load(SampleCorpus.Resolve(settings.Corpus), logger);
        var device = DeviceSelector.Resolve(settings.Device, logger);
        using var model = ModelCheckpoint.Load(checkpoint, device);
        var data = TokenizedSplit.Create(corpus, tokenizer, split).ForModel(config);
        return PerplexityEvaluator.Evaluate(model, data, settings.Batch);
    }

    private static async Task<PerplexityReport> EvaluateInClusterAsync(EvalSettings settings, string model, CorpusSplit split,
        ILoggerFactory loggers, LogLevel level, CancellationToken cancellationToken)
    {
        if (settings.Dataset is not null && settings.Corpus is not null)
            throw new ArgumentException("Give --dataset NAME (already in the store) or --corpus DIR (uploaded), not both.");
        var corpus = settings.Dataset is null ? DomainCorpus.Load(SampleCorpus.Resolve(settings.Corpus), loggers.CreateLogger("moe.eval")) : null;
        await using var session = await ClusterSession.OpenAsync(settings, loggers, level, cancellationToken);
        await session.Client.GetModelAsync(model); // "Unknown model 'x'" before any upload
        var dataset = settings.Dataset ?? ClusterNames.DatasetFor(corpus!.Directory);
        if (corpus is not null) await session.Client.UploadDatasetAsync(dataset, corpus.Directory, cancellationToken);
        var result = await session.Client.EvaluateAsync(model, dataset, split == CorpusSplit.Valid ? "valid" : "test");
        return EvaluationReports.ToReport(result);
    }
}
