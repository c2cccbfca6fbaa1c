using Microsoft.Extensions.Logging;
using MoeGrains.Cli.Output;
using MoeGrains.Model;
using MoeGrains.Model.Checkpoints;
using MoeGrains.Model.Data;
using MoeGrains.Model.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary><c>moe eval</c>: per-domain perplexity of a checkpoint.</summary>
internal sealed class EvalCommand : Command<EvalSettings>
{
    public override int Execute(CommandContext context, EvalSettings settings, CancellationToken cancellationToken)
    {
        using var loggerFactory = CliLogging.Create(settings.Json ? LogLevel.Warning : LogLevel.Information);
        var logger = loggerFactory.CreateLogger("moe.eval");
        if (string.IsNullOrWhiteSpace(settings.Checkpoint))
            throw new ArgumentException("--checkpoint is required: the folder written by moe train.");
        var split = settings.Split.ToLowerInvariant() switch
        {
            "valid" => CorpusSplit.Valid,
            "test" => CorpusSplit.Test,
            _ => throw new ArgumentException($"Unknown split '{settings.Split}'. Expected valid or test."),
        };
        if (settings.Batch <= 0) throw new ArgumentException($"--batch must be positive (got {settings.Batch}).");

        var config = ModelCheckpoint.ReadConfig(settings.Checkpoint);
        var tokenizer = TokenizerFactory.Create(config.Tokenizer);
        var corpus = DomainCorpus.Load(SampleCorpus.Resolve(settings.Corpus), logger);
        var device = DeviceSelector.Resolve(settings.Device, logger);
        using var model = ModelCheckpoint.Load(settings.Checkpoint, device);
        var data = TokenizedSplit.Create(corpus, tokenizer, split);
        var report = PerplexityEvaluator.Evaluate(model, data, settings.Batch);

        if (settings.Json) Console.Out.WriteLine(PerplexityOutput.ToJson(report));
        else PerplexityOutput.WriteTable(report, $"{settings.Split} perplexity of {settings.Checkpoint}");
        return 0;
    }
}
