using MoeGrains.Cli.Commands;
using MoeGrains.Model.Checkpoints;
using MoeGrains.Model.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MoeGrains.Cli;

/// <summary>The <c>moe</c> command line: verbs, and one clear error line with a non-zero exit for bad input.</summary>
public static class MoeApp
{
    /// <summary>Exit code for bad input (arguments, corpus, checkpoint).</summary>
    public const int BadInput = 2;

    /// <summary>Parses <paramref name="args"/> and runs the verb. <c>MOE_TORCH_THREADS</c> caps torch's CPU threads.</summary>
    public static int Run(string[] args)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("MOE_TORCH_THREADS"), out var threads) && threads > 0)
            TorchSharp.torch.set_num_threads(threads);
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("moe");
            config.PropagateExceptions();
            config.AddCommand<TrainCommand>("train")
                .WithDescription("Train a MoE language model on a corpus of domains; writes a checkpoint, metrics.jsonl and loss.png.");
            config.AddCommand<EvalCommand>("eval")
                .WithDescription("Per-domain perplexity of a checkpoint on a corpus split.");
        });
        try
        {
            return app.Run(args);
        }
        catch (Exception e) when (IsBadInput(e))
        {
            Console.Error.WriteLine($"moe: error: {Unwrap(e).Message}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("moe: cancelled");
            return 130;
        }
    }

    private static bool IsBadInput(Exception e) => Unwrap(e) is ArgumentException or CorpusException or CheckpointException
        or CommandParseException or CommandRuntimeException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException;

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerException: { } inner } ? inner : e;
}
