using System.Text.Json;
using MoeGrains.Abstractions.Pipelines;
using Spectre.Console;

namespace MoeGrains.Cli.Pipelines;

/// <summary>Prints runs as tables or JSON.</summary>
internal static class PipelineStatusTable
{
    public static void Write(PipelineRunStatus status)
    {
        var table = new Table().Title($"run {Markup.Escape(status.RunId)} ({Markup.Escape(status.Pipeline)} → model {Markup.Escape(status.Model)}): {status.State}")
            .AddColumn("#").AddColumn("stage").AddColumn("line").AddColumn("state").AddColumn("attempts").AddColumn("took").AddColumn("message");
        for (var i = 0; i < status.Stages.Count; i++)
        {
            var stage = status.Stages[i];
            var took = stage.StartedAt is { } start ? ((stage.CompletedAt ?? DateTimeOffset.UtcNow) - start).ToString(@"hh\:mm\:ss") : "";
            var message = stage.State is StageState.Failed or StageState.Retrying ? $"[red]{Markup.Escape(stage.Error ?? "")}[/]" : Markup.Escape(stage.Message ?? "");
            table.AddRow((i + 1).ToString(), stage.Kind, stage.Line.ToString(), stage.State.ToString(), stage.Attempts.ToString(), took, message);
        }
        AnsiConsole.Write(table);
        if (status.Error is not null) AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {status.Error}");
    }

    public static void WriteList(IReadOnlyList<PipelineRunStatus> runs)
    {
        var table = new Table().Title("pipeline runs").AddColumn("run").AddColumn("pipeline").AddColumn("model").AddColumn("state").AddColumn("stage").AddColumn("created");
        foreach (var run in runs)
        {
            var stage = run.CurrentStage < run.Stages.Count ? $"{run.CurrentStage + 1}/{run.Stages.Count} {run.Stages[run.CurrentStage].Kind}" : "done";
            table.AddRow(Markup.Escape(run.RunId), Markup.Escape(run.Pipeline), Markup.Escape(run.Model), run.State.ToString(), stage, run.CreatedAt.ToString("u"));
        }
        AnsiConsole.Write(table);
    }

    public static string Json(object value) => JsonSerializer.Serialize(value, new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    });
}
