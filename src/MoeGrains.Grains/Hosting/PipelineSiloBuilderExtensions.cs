using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MoeGrains.Grains.Pipelines;
using MoeGrains.Grains.Pipelines.Stages;

namespace MoeGrains.Grains.Hosting;

/// <summary>Registers pipeline runs: their options (section <see cref="PipelineOptions.SectionName"/>) and every stage executor.</summary>
public static class PipelineSiloBuilderExtensions
{
    /// <summary>Adds pipeline options and the stage executors.</summary>
    public static ISiloBuilder AddMoeGrainsPipelines(this ISiloBuilder builder, IConfiguration configuration)
    {
        builder.Services.AddOptions<PipelineOptions>()
            .Bind(configuration.GetSection(PipelineOptions.SectionName))
            .Validate(o => o.MaxAttempts >= 1, $"{PipelineOptions.SectionName}:MaxAttempts must be at least 1.")
            .Validate(o => o.InitialBackoff > TimeSpan.Zero && o.MaxBackoff >= o.InitialBackoff,
                $"{PipelineOptions.SectionName}:InitialBackoff must be positive and MaxBackoff at least InitialBackoff.")
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.ReminderPeriod > TimeSpan.Zero,
                $"{PipelineOptions.SectionName}:PollInterval and ReminderPeriod must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<StageExecutorCatalog>();
        builder.Services.AddSingleton<IStageExecutor, SeedStageExecutor>();
        builder.Services.AddSingleton<IStageExecutor, BranchStageExecutor>();
        builder.Services.AddSingleton<IStageExecutor, TrainExpertsStageExecutor>();
        builder.Services.AddSingleton<IStageExecutor, EstimatePriorStageExecutor>();
        builder.Services.AddSingleton<IStageExecutor, EvaluateStageExecutor>();
        builder.Services.AddSingleton<IStageExecutor, PublishStageExecutor>();
        builder.Services.AddSingleton<IStageExecutor, AddExpertStageExecutor>();
        builder.Services.AddSingleton<IStageExecutor, RetireExpertStageExecutor>();
        return builder;
    }
}
