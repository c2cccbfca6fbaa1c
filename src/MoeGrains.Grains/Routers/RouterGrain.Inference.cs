using System.Diagnostics;
using MoeGrains.Abstractions.Inference;
using MoeGrains.Diagnostics;
using MoeGrains.Grains.Datasets;
using MoeGrains.Model.Data;
using MoeGrains.Model.Evaluation;
using MoeGrains.Model.Inference;
using MoeGrains.Model.Scoring;

namespace MoeGrains.Grains.Routers;

public sealed partial class RouterGrain
{
    private const int EvaluationBatchSize = 16;

    /// <summary>
    /// Scoring forwards the router keeps started at once: while one batch waits for its experts (on their silos), the router
    /// computes the next batch's dense layers, so router and expert silos work at the same time. Results do not change.
    /// </summary>
    public const int ScoringForwardsInFlight = 2;

    /// <inheritdoc/>
    public Task<EvaluationResult> EvaluateAsync(string dataset, string split) => MeasuredAsync("evaluate", () => EvaluateCoreAsync(dataset, split));

    private async Task<EvaluationResult> EvaluateCoreAsync(string dataset, string split)
    {
        var current = RequireModel();
        var corpusSplit = split.ToLowerInvariant() switch
        {
            "valid" => CorpusSplit.Valid,
            "test" => CorpusSplit.Test,
            "train" => CorpusSplit.Train,
            _ => throw new ArgumentException($"Unknown split '{split}'. Expected valid, test or train."),
        };
        var corpus = await DatasetDownloads.OpenAsync(store, dataset);
        var data = TokenizedSplit.Create(corpus, TokenizerFactory.Create(current.Tokenizer), corpusSplit).ForModel(current);
        var router = await RouterAsync();
        var experts = Executor();
        var report = await PerplexityEvaluator.EvaluateAsync(
            (batch, ct) => router.LogitsAsync(batch.Inputs(), batch.Domains, experts, ct), data, current.ContextLength, EvaluationBatchSize);
        return new EvaluationResult(
            [.. report.Domains.Select(d => new DomainPerplexity(d.Key, d.Value.Value, d.Value.Tokens))],
            new DomainPerplexity("overall", report.Overall.Value, report.Overall.Tokens));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<TokenScores>> ScoreAsync(IReadOnlyList<string> texts) => MeasuredAsync("score", () => ScoreCoreAsync(texts));

    private async Task<IReadOnlyList<TokenScores>> ScoreCoreAsync(IReadOnlyList<string> texts)
    {
        var current = RequireModel();
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0) throw new ArgumentException("Nothing to score: the list of texts is empty.");
        Limits.CheckScoreTexts(texts);
        var tokenizer = TokenizerFactory.Create(current.Tokenizer);
        var encoded = new List<int[]>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            if (string.IsNullOrEmpty(texts[i])) throw new ArgumentException($"Text {i} is empty.");
            encoded.Add(tokenizer.Encode(texts[i]));
        }
        Limits.CheckScoreTokens(encoded.Sum(tokens => (long)tokens.Length));
        var scores = await new SequenceScorer(await SourceAsync(), forwardsInFlight: ScoringForwardsInFlight).ScoreManyAsync(encoded);
        return [.. encoded.Select((tokens, i) => new TokenScores(tokens, scores[i]))];
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<MethodAccuracyResult>> ScoreChoicesAsync(ChoiceScoringRequest request) =>
        MeasuredAsync("score-choices", () => ScoreChoicesCoreAsync(request));

    private async Task<IReadOnlyList<MethodAccuracyResult>> ScoreChoicesCoreAsync(ChoiceScoringRequest request)
    {
        var current = RequireModel();
        ArgumentNullException.ThrowIfNull(request);
        var items = ChoiceScoringMapping.ToItems(request);
        var methods = ChoiceScoringMapping.ToMethods(request);
        var scorer = new BatchedContinuationScorer(await SourceAsync(), forwardsInFlight: ScoringForwardsInFlight);
        var report = await MultipleChoiceEvaluation.EvaluateAsync(scorer, TokenizerFactory.Create(current.Tokenizer), items, methods, request.Seed);
        return ChoiceScoringMapping.ToResults(report);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<GeneratedToken> GenerateAsync(GenerationRequest request)
    {
        var current = RequireModel();
        if (string.IsNullOrEmpty(request.Prompt)) throw new ArgumentException("The prompt is empty.");
        if (request.MaxTokens <= 0) throw new ArgumentException($"MaxTokens must be positive (got {request.MaxTokens}).");
        Limits.CheckPrompt(request.Prompt, request.MaxTokens);
        var tokenizer = TokenizerFactory.Create(current.Tokenizer);
        var prompt = tokenizer.Encode(request.Prompt);
        Limits.CheckGenerationTokens(prompt.Length, request.MaxTokens);
        var options = new SamplingOptions(request.Temperature, request.TopK, request.TopP, request.Seed).Validate();
        var started = Stopwatch.GetTimestamp();
        var completed = false;
        try
        {
            var generator = new TextGenerator(await SourceAsync());
            await foreach (var token in generator.GenerateAsync(prompt, request.MaxTokens, options))
                yield return new GeneratedToken(token, tokenizer.Decode([token]));
            completed = true;
        }
        finally
        {
            // A stream abandoned by its reader counts as not completed (outcome "error"), as a failed one does.
            MoeMetrics.RecordRequest(MoeMetrics.RouterSide, Name, "generate", started, failed: !completed);
        }
    }

    /// <summary>Runs a request and records its duration on <see cref="MoeMetrics.RequestDuration"/>.</summary>
    private async Task<T> MeasuredAsync<T>(string operation, Func<Task<T>> request)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            var result = await request();
            failed = false;
            return result;
        }
        finally
        {
            MoeMetrics.RecordRequest(MoeMetrics.RouterSide, Name, operation, started, failed);
        }
    }

    private async Task<LogitsSource> SourceAsync()
    {
        var current = RequireModel();
        DomainRouting.RequireRoutableWithoutDomain(current, $"Model '{Name}'");
        var router = await RouterAsync();
        var experts = Executor();
        return new LogitsSource((tokens, ct) => router.LogitsAsync(tokens, null, experts, ct, dropless: true), current.ContextLength, current.VocabularySize);
    }
}
