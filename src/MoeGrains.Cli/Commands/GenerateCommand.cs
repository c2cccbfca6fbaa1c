using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Inference;
using MoeGrains.Cli.Cluster;
using MoeGrains.Model;
using MoeGrains.Model.Checkpoints;
using MoeGrains.Model.Data;
using MoeGrains.Model.Inference;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary><c>moe generate</c>: streams a continuation of the prompt to stdout as the router produces it.</summary>
internal sealed class GenerateCommand : AsyncCommand<GenerateSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, GenerateSettings settings, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(settings.Checkpoint) == string.IsNullOrWhiteSpace(settings.Model))
            throw new ArgumentException("Give either --checkpoint DIR (a folder written by moe train --in-process) or --model NAME (a model in the cluster).");
        if (string.IsNullOrEmpty(settings.Prompt)) throw new ArgumentException("--prompt TEXT is required and must not be empty.");
        if (settings.MaxTokens <= 0) throw new ArgumentException($"--max-tokens must be positive (got {settings.MaxTokens}).");
        if (settings.Temperature < 0) throw new ArgumentException($"--temperature must be 0 (greedy) or positive (got {settings.Temperature}).");
        if (settings.TopK < 0) throw new ArgumentException($"--top-k must be 0 (off) or positive (got {settings.TopK}).");
        if (settings.TopP is <= 0 or > 1) throw new ArgumentException($"--top-p must be in (0, 1] (got {settings.TopP}).");

        using var loggerFactory = CliLogging.Create(LogLevel.Warning);
        if (settings.Checkpoint is { } checkpoint)
        {
            var config = ModelCheckpoint.ReadConfig(checkpoint);
            var tokenizer = TokenizerFactory.Create(config.Tokenizer);
            using var local = ModelCheckpoint.Load(checkpoint, DeviceSelector.Resolve(settings.Device, loggerFactory.CreateLogger("moe.generate")));
            var options = new SamplingOptions(settings.Temperature, settings.TopK, settings.TopP, settings.Seed);
            var tokens = new TextGenerator(LogitsSource.ForModel(local))
                .GenerateAsync(tokenizer.Encode(settings.Prompt), settings.MaxTokens, options, cancellationToken);
            await StreamAsync(settings.Prompt, tokens.Select(id => tokenizer.Decode([id])), cancellationToken);
            return 0;
        }

        var model = settings.Model!;
        await using var session = await ClusterSession.OpenAsync(settings, loggerFactory, LogLevel.Warning, cancellationToken);
        await session.Client.GetModelAsync(model);
        var request = new GenerationRequest(settings.Prompt, settings.MaxTokens, settings.Temperature, settings.TopK, settings.TopP, settings.Seed);
        await StreamAsync(settings.Prompt, session.Client.GenerateAsync(model, request, cancellationToken).Select(token => token.Text), cancellationToken);
        return 0;
    }

    /// <summary>Prints the prompt, then each piece as it comes (flushed), then a newline.</summary>
    private static async Task StreamAsync(string prompt, IAsyncEnumerable<string> pieces, CancellationToken cancellationToken)
    {
        var output = Console.Out;
        await output.WriteAsync(prompt);
        await output.FlushAsync(cancellationToken);
        await foreach (var piece in pieces.WithCancellation(cancellationToken))
        {
            await output.WriteAsync(piece);
            await output.FlushAsync(cancellationToken);
        }
        await output.WriteLineAsync();
    }
}
