using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary><c>moe experts add --checkpoint MIXTURE --expert DOMAIN</c>.</summary>
internal sealed class ExpertsAddCommand : AsyncCommand<ExpertLifecycleSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, ExpertLifecycleSettings settings, CancellationToken cancellationToken) =>
        InProcessExpertLifecycle.AddAsync(settings, cancellationToken);
}
