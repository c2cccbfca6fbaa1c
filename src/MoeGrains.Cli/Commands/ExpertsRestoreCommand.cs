using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary><c>moe experts restore --model NAME --expert DOMAIN</c>.</summary>
internal sealed class ExpertsRestoreCommand : AsyncCommand<ExpertLifecycleSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, ExpertLifecycleSettings settings, CancellationToken cancellationToken) =>
        ExpertLifecycle.RunAsync(settings, retire: false, cancellationToken);
}
