using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Up;

/// <summary>
/// <c>moe up</c>: starts a local cluster of silo processes (<c>moe-silo.dll</c>), prints where they listen and the
/// <c>--cluster</c> value to use, and stops them all on Ctrl+C; a silo that dies on its own is reported.
/// </summary>
internal sealed class UpCommand : AsyncCommand<UpSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, UpSettings settings, CancellationToken cancellationToken)
    {
        using var loggerFactory = CliLogging.Create();
        var logger = loggerFactory.CreateLogger("moe.up");
        var plans = SiloPlan.For(settings);
        await using var cluster = new LocalCluster(plans, settings.StoreFolder, logger);
        try
        {
            await cluster.StartAsync(TimeSpan.FromMinutes(2), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogInformation("Cancelled while starting; stopping the silos");
            return 130;
        }

        var table = new Table().Title($"local MoeGrains cluster (store {Markup.Escape(settings.StoreFolder)})")
            .AddColumn("silo").AddColumn(new TableColumn("pid").RightAligned()).AddColumn("silo endpoint").AddColumn("gateway")
            .AddColumn(new TableColumn("expert slots").RightAligned());
        foreach (var silo in cluster.Silos)
            table.AddRow($"silo{silo.Plan.Index}{(silo.Plan.Index == 0 ? " (primary)" : "")}", silo.Id.ToString(), $"127.0.0.1:{silo.Plan.SiloPort}",
                silo.Plan.GatewayPort == 0 ? "–" : $"127.0.0.1:{silo.Plan.GatewayPort}", silo.Plan.ExpertSlots.ToString());
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"Use [bold]--cluster {cluster.GatewayList}[/] with moe train|eval|generate|score|experts. Ctrl+C stops every silo.");
        if (settings.Dashboard)
            AnsiConsole.MarkupLineInterpolated($"Orleans Dashboard: [bold]http://127.0.0.1:{settings.DashboardPort}/[/] (loopback only, no authentication).");
        Console.Out.WriteLine($"cluster: {cluster.GatewayList}");
        Console.Out.Flush();

        var failed = false;
        while (!cancellationToken.IsCancellationRequested && cluster.Silos.Any(s => !s.HasExited))
        {
            try
            {
                var dead = await cluster.WaitForAnyExitAsync(cancellationToken);
                failed = true;
                logger.LogError("silo{Index} (pid {Pid}) exited with code {Code}; the other silos keep running until Ctrl+C", dead.Plan.Index, dead.Id, dead.ExitCode);
            }
            catch (OperationCanceledException)
            {
            }
        }
        logger.LogInformation("Stopping {Count} silos", cluster.Silos.Count(s => !s.HasExited));
        return failed ? 1 : 0;
    }
}
