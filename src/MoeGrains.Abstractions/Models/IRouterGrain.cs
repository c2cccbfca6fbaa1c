using MoeGrains.Abstractions.Experts;
using MoeGrains.Abstractions.Inference;
using MoeGrains.Abstractions.Training;
using Orleans.Concurrency;

namespace MoeGrains.Abstractions.Models;

/// <summary>
/// The router of one model (keyed by model name): owns the dense parts (embeddings, attention, norms, gates, output
/// head), dispatches each MoE layer's tokens to the expert grains, and drives training, evaluation and inference.
/// </summary>
[Alias("moe.IRouterGrain")]
public interface IRouterGrain : IGrainWithStringKey
{
    /// <summary>Creates the model, commits its first checkpoint version and activates its experts.</summary>
    [Alias("Create")]
    Task<ModelInfo> CreateAsync(ModelSpec spec);

    /// <summary>The model's configuration and latest committed version.</summary>
    [Alias("GetInfo")]
    Task<ModelInfo> GetInfoAsync();

    /// <summary>Starts a training run in the background and returns at once; observe it with <see cref="GetTrainingStatusAsync"/>.</summary>
    [Alias("StartTraining")]
    Task<TrainingStatus> StartTrainingAsync(TrainingRequest request);

    /// <summary>A snapshot of the current or last training run.</summary>
    [Alias("GetTrainingStatus"), AlwaysInterleave]
    Task<TrainingStatus> GetTrainingStatusAsync();

    /// <summary>Every training run's losses and sampled per-expert routing (for <c>moe report</c>).</summary>
    [Alias("GetTrainingHistory"), AlwaysInterleave]
    Task<TrainingHistory> GetTrainingHistoryAsync();

    /// <summary>Stops the training run after the step in progress.</summary>
    [Alias("CancelTraining"), AlwaysInterleave]
    Task CancelTrainingAsync();

    /// <summary>Per-domain perplexity of a dataset split ("valid" or "test").</summary>
    [Alias("Evaluate")]
    Task<EvaluationResult> EvaluateAsync(string dataset, string split);

    /// <summary>Per-token log-probabilities of each text.</summary>
    [Alias("Score")]
    Task<IReadOnlyList<TokenScores>> ScoreAsync(IReadOnlyList<string> texts);

    /// <summary>Accuracy of each zero-shot scoring method on a labelled multiple-choice task.</summary>
    [Alias("ScoreChoices")]
    Task<IReadOnlyList<MethodAccuracyResult>> ScoreChoicesAsync(ChoiceScoringRequest request);

    /// <summary>Generates a continuation of the prompt, one token at a time.</summary>
    [Alias("Generate")]
    IAsyncEnumerable<GeneratedToken> GenerateAsync(GenerationRequest request);

    /// <summary>Every expert of the model: where it lives, its device, its load.</summary>
    [Alias("ListExperts")]
    Task<IReadOnlyList<ExpertInfo>> ListExpertsAsync();
}
