using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using MoeGrains.Cli.Commands;
using MoeGrains.Cli.Pipelines;
using MoeGrains.Cli.Up;
using MoeGrains.Client.Connection;
using MoeGrains.Model.Checkpoints;
using MoeGrains.Model.Data;
using Spectre.Console.Cli;

namespace MoeGrains.Cli;

/// <summary>The <c>moe</c> command line: verbs, and one clear error line with a non-zero exit for bad input.</summary>
public static class MoeApp
{
    /// <summary>Exit code for bad input (arguments, corpus, checkpoint, unknown model).</summary>
    public const int BadInput = 2;

    /// <summary>Exit code when the cluster given with --cluster cannot be reached.</summary>
    public const int ClusterUnavailable = 3;

    /// <summary>Exit code for a failure in the cluster (a training run that failed, a timeout).</summary>
    public const int Failed = 1;

    /// <summary>
    /// Parses <paramref name="args"/> and runs the verb. <c>MOE_TORCH_THREADS</c> caps torch's CPU threads;
    /// <c>MoeGrains__Telemetry__…</c> environment variables turn on OpenTelemetry exporters (<see cref="CliTelemetry"/>).
    /// </summary>
    /// <remarks>Ctrl+C (SIGINT) or SIGTERM cancels the verb's token; a second Ctrl+C ends the process at once.</remarks>
    public static int Run(string[] args)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("MOE_TORCH_THREADS"), out var threads) && threads > 0)
            TorchSharp.torch.set_num_threads(threads);
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("moe");
            config.PropagateExceptions();
            config.UseStrictParsing(); // an unknown option is an error, not a remaining argument that is silently ignored
            config.AddCommand<TrainCommand>("train")
                .WithDescription("Train a MoE language model through grains (embedded silo, or --cluster) or --in-process; writes metrics.jsonl and loss.png.");
            config.AddCommand<EvalCommand>("eval")
                .WithDescription("Per-domain perplexity of a model (--model, through grains) or a checkpoint folder (--checkpoint).");
            config.AddCommand<GenerateCommand>("generate")
                .WithDescription("Stream a continuation of a prompt from a model.");
            config.AddCommand<ScoreCommand>("score")
                .WithDescription("Accuracy per zero-shot method on a multiple-choice task (--tasks), or per-token log-probabilities of texts (--text).");
            config.AddBranch("tasks", tasks =>
            {
                tasks.SetDescription("Build evaluation tasks.");
                tasks.AddCommand<BuildContinuationTaskCommand>("build-continuation")
                    .WithDescription("A multiple-choice task from held-out passages: the true continuation against continuations of other passages.");
            });
            config.AddBranch("experts", experts =>
            {
                experts.SetDescription("Inspect a model's experts; retire and restore domain experts.");
                experts.AddCommand<ExpertsListCommand>("list").WithDescription("Where each expert lives: silo, device, slot, version, step, tokens.");
                experts.AddCommand<ExpertsAddCommand>("add").WithDescription("Add a domain's expert to a mixture (--model, through the grains) or a mixture folder (--checkpoint): posterior of its data, copy of the closest expert, FFN-only training at 0.1 × the learning rate.");
                experts.AddCommand<ExpertsRetireCommand>("retire").WithDescription("Commit a mixture version without a domain expert (its checkpoints are kept).");
                experts.AddCommand<ExpertsRestoreCommand>("restore").WithDescription("Commit a mixture version with a retired domain expert back.");
            });
            config.AddCommand<ReportCommand>("report")
                .WithDescription("PNGs of a model's training (loss per run, tokens per expert per MoE layer, overflow), or of a run folder's metrics.jsonl.");
            config.AddBranch("pipeline", pipeline =>
            {
                pipeline.SetDescription("Durable training pipelines: the cluster carries a run to its end through crashes.");
                pipeline.AddCommand<PipelineRunCommand>("run").WithDescription("Validate a pipeline file, upload its datasets, submit the run and show it live.");
                pipeline.AddCommand<PipelineStatusCommand>("status").WithDescription("A run's stages (or every run): state, attempts, timings, errors.");
                pipeline.AddCommand<PipelineCancelCommand>("cancel").WithDescription("Stop a run after the turn in progress.");
                pipeline.AddCommand<PipelineResumeCommand>("resume").WithDescription("Continue a failed or cancelled run from its current stage.");
            });
            config.AddBranch("silos", silos =>
            {
                silos.SetDescription("Inspect and drain the cluster's silos.");
                silos.AddCommand<SilosListCommand>("list").WithDescription("Every silo: address, accelerator, devices, expert slots, experts hosted, draining.");
                silos.AddCommand<SilosDrainCommand>("drain").WithDescription("Move every expert off a silo (scale-in); it can then stop with nothing lost.");
            });
            config.AddCommand<UpCommand>("up")
                .WithDescription("Start a local cluster of silo processes on loopback; Ctrl+C stops them all.");
        });

        using var cancellation = new CancellationTokenSource();
        void Cancel(PosixSignalContext context)
        {
            if (cancellation.IsCancellationRequested) return; // a second signal: let the runtime end the process
            context.Cancel = true;
            cancellation.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        try
        {
            using var telemetry = CliTelemetry.Start();
            return app.Run(args, cancellation.Token);
        }
        catch (Exception e) when (Unwrap(e) is ClusterConnectionException)
        {
            return Error(e, ClusterUnavailable);
        }
        catch (Exception e) when (IsBadInput(e))
        {
            return Error(e, BadInput);
        }
        catch (Exception e) when (Unwrap(e) is OperationCanceledException)
        {
            Console.Error.WriteLine("moe: cancelled");
            return 130;
        }
        catch (Exception e) when (Unwrap(e) is InvalidOperationException or TimeoutException or OrleansException)
        {
            return Error(e, Failed);
        }
    }

    private static int Error(Exception e, int code)
    {
        var error = Unwrap(e);
        Console.Error.WriteLine($"moe: error: {error.Message.Split('\n')[0].TrimEnd()}");
        if (error is MoeGrains.Pipelines.PipelineDefinitionException { Problems.Count: > 1 } pipeline)
            foreach (var problem in pipeline.Problems) Console.Error.WriteLine($"moe:   {problem}");
        return code;
    }

    private static bool IsBadInput(Exception e) => Unwrap(e) is ArgumentException or CorpusException or CheckpointException
        or CommandParseException or CommandRuntimeException or OptionsValidationException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
        or MoeGrains.Pipelines.PipelineDefinitionException;

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerException: { } inner } ? Unwrap(inner) : e;
}
