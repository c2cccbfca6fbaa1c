using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary><c>moe experts retire --model NAME --expert DOMAIN</c>.</summary>
internal sealed class ExpertsRetireCommand : AsyncCommand<ExpertLifecycleSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, ExpertLifecycleSettings settings, CancellationToken cancellationToken) =>
        ExpertLifecycle.RunAsync(settings, retire: true, cancellationToken);
}
