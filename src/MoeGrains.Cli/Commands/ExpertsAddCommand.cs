using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary><c>moe experts add (--checkpoint MIXTURE | --model NAME) --expert DOMAIN</c>.</summary>
internal sealed class ExpertsAddCommand : AsyncCommand<ExpertLifecycleSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, ExpertLifecycleSettings settings, CancellationToken cancellationToken) =>
        settings.Checkpoint is null && settings.Model is not null
            ? ClusterExpertAddition.AddAsync(settings, cancellationToken)
            : InProcessExpertLifecycle.AddAsync(settings, cancellationToken);
}
