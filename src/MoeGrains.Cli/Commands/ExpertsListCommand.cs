using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MoeGrains.Cli.Cluster;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary><c>moe experts list</c>: where each expert of a model lives (silo, device, slot) and what it has done.</summary>
internal sealed class ExpertsListCommand : AsyncCommand<ExpertsListSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ExpertsListSettings settings, CancellationToken cancellationToken)
    {
        var model = settings.RequireModel();
        using var loggerFactory = CliLogging.Create(LogLevel.Warning);
        await using var session = await ClusterSession.OpenAsync(settings, loggerFactory, LogLevel.Warning, cancellationToken);
        var experts = (await session.Client.ListExpertsAsync(model)).OrderBy(e => e.Id.Layer).ThenBy(e => e.Id.Expert).ToList();
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                model,
                experts = experts.Select(e => new
                {
                    id = e.Id.Key,
                    layer = e.Id.Layer,
                    expert = e.Id.Expert,
                    silo = e.Silo,
                    device = e.Device,
                    slot = e.DeviceSlot,
                    version = e.Version,
                    step = e.Step,
                    tokens = e.TokensProcessed,
                }),
            }));
            return 0;
        }

        var table = new Table().Title($"experts of {model}").AddColumn("expert").AddColumn("silo").AddColumn("device")
            .AddColumn(new TableColumn("slot").RightAligned()).AddColumn(new TableColumn("version").RightAligned())
            .AddColumn(new TableColumn("step").RightAligned()).AddColumn(new TableColumn("tokens").RightAligned());
        foreach (var e in experts)
            table.AddRow(e.Id.Key, Markup.Escape(e.Silo), e.Device, Number(e.DeviceSlot), Number(e.Version), Number(e.Step), Number(e.TokensProcessed));
        AnsiConsole.Write(table);
        return 0;
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
