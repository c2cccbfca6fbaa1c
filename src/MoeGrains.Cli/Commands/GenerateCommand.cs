using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Inference;
using MoeGrains.Cli.Cluster;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary><c>moe generate</c>: streams a continuation of the prompt to stdout as the router produces it.</summary>
internal sealed class GenerateCommand : AsyncCommand<GenerateSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, GenerateSettings settings, CancellationToken cancellationToken)
    {
        var model = settings.RequireModel();
        if (string.IsNullOrEmpty(settings.Prompt)) throw new ArgumentException("--prompt TEXT is required and must not be empty.");
        if (settings.MaxTokens <= 0) throw new ArgumentException($"--max-tokens must be positive (got {settings.MaxTokens}).");
        if (settings.Temperature < 0) throw new ArgumentException($"--temperature must be 0 (greedy) or positive (got {settings.Temperature}).");
        if (settings.TopK < 0) throw new ArgumentException($"--top-k must be 0 (off) or positive (got {settings.TopK}).");
        if (settings.TopP is <= 0 or > 1) throw new ArgumentException($"--top-p must be in (0, 1] (got {settings.TopP}).");

        using var loggerFactory = CliLogging.Create(LogLevel.Warning);
        await using var session = await ClusterSession.OpenAsync(settings, loggerFactory, LogLevel.Warning, cancellationToken);
        await session.Client.GetModelAsync(model);
        var request = new GenerationRequest(settings.Prompt, settings.MaxTokens, settings.Temperature, settings.TopK, settings.TopP, settings.Seed);
        var output = Console.Out;
        await output.WriteAsync(settings.Prompt);
        await output.FlushAsync(cancellationToken);
        await foreach (var token in session.Client.GenerateAsync(model, request, cancellationToken))
        {
            await output.WriteAsync(token.Text);
            await output.FlushAsync(cancellationToken);
        }
        await output.WriteLineAsync();
        return 0;
    }
}
