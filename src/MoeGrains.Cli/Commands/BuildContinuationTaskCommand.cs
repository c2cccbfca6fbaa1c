using System.Globalization;
using Microsoft.Extensions.Logging;
using MoeGrains.Model.Data;
using MoeGrains.Model.Scoring.Tasks;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary><c>moe tasks build-continuation</c>: writes a continuation multiple-choice task in the JSONL format.</summary>
internal sealed class BuildContinuationTaskCommand : Command<BuildContinuationTaskSettings>
{
    public override int Execute(CommandContext context, BuildContinuationTaskSettings settings, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(settings.Out)) throw new ArgumentException("--out FILE is required.");
        if (File.Exists(settings.Out)) throw new ArgumentException($"'{settings.Out}' already exists; give a new --out file.");
        var split = settings.Split.ToLowerInvariant() switch
        {
            "valid" => CorpusSplit.Valid,
            "test" => CorpusSplit.Test,
            _ => throw new ArgumentException($"Unknown split '{settings.Split}'. Expected valid or test."),
        };
        using var loggerFactory = CliLogging.Create(LogLevel.Warning);
        var corpus = DomainCorpus.Load(SampleCorpus.Resolve(settings.Corpus), loggerFactory.CreateLogger("moe.tasks"));
        var options = new ContinuationTaskOptions(settings.ContextChars, settings.ContinuationChars, settings.Choices, settings.PerDomain, settings.Seed);
        var items = ContinuationTaskBuilder.Build(corpus, split, options);
        JsonlTaskFormat.Write(settings.Out, items);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {items.Count} items ({items.Select(i => i.Domain).Distinct().Count()} domains, {settings.Choices} choices each) to {settings.Out}"));
        return 0;
    }
}
