using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Cluster;
using MoeGrains.Cli.Cluster;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary><c>moe silos list</c>: every active silo, what it offers to experts, how many it hosts, whether it is draining.</summary>
internal sealed class SilosListCommand : AsyncCommand<SilosListSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SilosListSettings settings, CancellationToken cancellationToken)
    {
        using var loggerFactory = CliLogging.Create(LogLevel.Warning);
        await using var session = await ClusterSession.OpenAsync(settings, loggerFactory, LogLevel.Warning, cancellationToken);
        var silos = await session.Client.ListSilosAsync();
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                silos = silos.Select(s => new
                {
                    address = s.Address,
                    name = s.Name,
                    status = s.Status,
                    accelerator = s.Accelerator,
                    devices = s.Devices,
                    expertSlots = s.ExpertSlots,
                    experts = s.ExpertsHosted,
                    draining = s.Draining,
                }),
            }));
            return 0;
        }

        var table = new Table().Title("silos").AddColumn("address").AddColumn("name").AddColumn("status").AddColumn("accelerator")
            .AddColumn(new TableColumn("devices").RightAligned()).AddColumn(new TableColumn("expert slots").RightAligned())
            .AddColumn(new TableColumn("experts").RightAligned()).AddColumn("draining");
        foreach (var s in silos)
            table.AddRow(Markup.Escape(s.Address), Markup.Escape(s.Name), s.Status, s.Accelerator ?? "?", Number(s.Devices), Number(s.ExpertSlots),
                s.ExpertsHosted == SiloInfo.Unknown ? "?" : Number(s.ExpertsHosted), s.Draining ? "[yellow]yes[/]" : "no");
        AnsiConsole.Write(table);
        return 0;
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
