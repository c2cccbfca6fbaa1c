using System.Text.Json;
using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Cli.Cluster;
using Spectre.Console;

namespace MoeGrains.Cli.Commands;

/// <summary>
/// <c>moe experts retire|restore (--model NAME | --checkpoint DIR) --expert DOMAIN</c>: commits the next mixture version without (or with again)
/// a domain expert, while requests in flight finish on the version they started with.
/// </summary>
internal static class ExpertLifecycle
{
    public static async Task<int> RunAsync(ExpertLifecycleSettings settings, bool retire, CancellationToken cancellationToken)
    {
        if (settings.Checkpoint is { } folder)
        {
            if (settings.Model is not null || settings.Cluster is not null || settings.Store is not null)
                throw new ArgumentException("--checkpoint works on a mixture folder in this process: --model, --cluster and --store do not apply.");
            return InProcessExpertLifecycle.Change(settings, folder, retire);
        }
        var model = settings.RequireModel();
        var expert = settings.RequireExpert();
        using var loggerFactory = CliLogging.Create(LogLevel.Warning);
        await using var session = await ClusterSession.OpenAsync(settings, loggerFactory, LogLevel.Warning, cancellationToken);
        var status = retire ? await session.Client.RetireExpertAsync(model, expert) : await session.Client.RestoreExpertAsync(model, expert);
        Write(model, status, settings.Json);
        return 0;
    }

    /// <summary>Prints the mixture's version, active and retired experts.</summary>
    public static void Write(string model, DomainMixtureStatus status, bool json)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new { model, version = status.Version, experts = status.Experts, archived = status.Archived }));
            return;
        }
        var table = new Table().Title($"domain experts of {model}, mixture version {status.Version}").AddColumn("expert").AddColumn("state");
        foreach (var e in status.Experts) table.AddRow(e, "active");
        foreach (var e in status.Archived) table.AddRow(e, "retired (archived)");
        AnsiConsole.Write(table);
    }
}
