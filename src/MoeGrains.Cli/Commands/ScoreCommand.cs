using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Inference;
using MoeGrains.Cli.Cluster;
using MoeGrains.Model;
using MoeGrains.Model.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary>
/// <c>moe score</c>: accuracy per zero-shot method on a multiple-choice task file (<c>--tasks</c>), or per-token
/// log-probabilities and the total log-likelihood of each text (<c>--text</c>).
/// </summary>
internal sealed class ScoreCommand : AsyncCommand<ScoreSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ScoreSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Tasks is not null)
        {
            if (settings.Texts.Length > 0) throw new ArgumentException("Give --tasks FILE or --text TEXT, not both.");
            return await TaskScoring.RunAsync(settings, settings.Tasks, cancellationToken);
        }
        if (settings.Checkpoint is not null) throw new ArgumentException("--checkpoint scores a --tasks FILE; --text runs through the cluster (--model NAME).");
        var model = settings.RequireModel();
        if (settings.Texts.Length == 0) throw new ArgumentException("--text TEXT or --tasks FILE is required.");

        using var loggerFactory = CliLogging.Create(LogLevel.Warning);
        await using var session = await ClusterSession.OpenAsync(settings, loggerFactory, LogLevel.Warning, cancellationToken);
        var info = await session.Client.GetModelAsync(model);
        var tokenizer = TokenizerFactory.Create(ModelConfig.FromJson(info.ConfigJson).Tokenizer);
        var scores = await session.Client.ScoreAsync(model, settings.Texts);

        if (settings.Json) Console.Out.WriteLine(ToJson(settings.Texts, scores, tokenizer));
        else
            for (var i = 0; i < scores.Count; i++) WriteTable(settings.Texts[i], scores[i], tokenizer);
        return 0;
    }

    private static string ToJson(IReadOnlyList<string> texts, IReadOnlyList<TokenScores> scores, ITokenizer tokenizer) =>
        JsonSerializer.Serialize(new
        {
            texts = texts.Select((text, i) => new
            {
                text,
                tokens = scores[i].TokenIds,
                pieces = scores[i].TokenIds.Select(id => tokenizer.Decode([id])),
                logProbs = scores[i].LogProbabilities,
                logLikelihood = scores[i].LogProbabilities.Sum(),
            }),
        });

    private static void WriteTable(string text, TokenScores scores, ITokenizer tokenizer)
    {
        var total = scores.LogProbabilities.Sum();
        var table = new Table()
            .Title($"log-likelihood {total.ToString("F4", CultureInfo.InvariantCulture)} over {scores.LogProbabilities.Count} tokens: {Markup.Escape(Shorten(text))}")
            .AddColumn(new TableColumn("#").RightAligned()).AddColumn("token").AddColumn(new TableColumn("id").RightAligned())
            .AddColumn(new TableColumn("log p").RightAligned());
        for (var i = 0; i < scores.TokenIds.Count; i++)
        {
            var logProbability = i == 0 ? "—" : scores.LogProbabilities[i - 1].ToString("F4", CultureInfo.InvariantCulture);
            table.AddRow(i.ToString(CultureInfo.InvariantCulture), Markup.Escape(Visible(tokenizer.Decode([scores.TokenIds[i]]))),
                scores.TokenIds[i].ToString(CultureInfo.InvariantCulture), logProbability);
        }
        AnsiConsole.Write(table);
    }

    private static string Visible(string piece) => piece.Replace("\n", "\\n").Replace("\t", "\\t").Replace(" ", "·");

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
