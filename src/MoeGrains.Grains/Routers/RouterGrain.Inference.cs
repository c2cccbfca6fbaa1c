using MoeGrains.Abstractions.Inference;
using MoeGrains.Grains.Datasets;
using MoeGrains.Model.Data;
using MoeGrains.Model.Evaluation;
using MoeGrains.Model.Inference;
using MoeGrains.Model.Scoring;

namespace MoeGrains.Grains.Routers;

public sealed partial class RouterGrain
{
    private const int EvaluationBatchSize = 16;

    /// <inheritdoc/>
    public async Task<EvaluationResult> EvaluateAsync(string dataset, string split)
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
        var data = TokenizedSplit.Create(corpus, TokenizerFactory.Create(current.Tokenizer), corpusSplit);
        var router = await RouterAsync();
        var experts = Executor();
        var report = await PerplexityEvaluator.EvaluateAsync(
            (batch, ct) => router.LogitsAsync(batch.Inputs(), batch.Domains, experts, ct), data, current.ContextLength, EvaluationBatchSize);
        return new EvaluationResult(
            [.. report.Domains.Select(d => new DomainPerplexity(d.Key, d.Value.Value, d.Value.Tokens))],
            new DomainPerplexity("overall", report.Overall.Value, report.Overall.Tokens));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TokenScores>> ScoreAsync(IReadOnlyList<string> texts)
    {
        var current = RequireModel();
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0) throw new ArgumentException("Nothing to score: the list of texts is empty.");
        var tokenizer = TokenizerFactory.Create(current.Tokenizer);
        var encoded = new List<int[]>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            if (string.IsNullOrEmpty(texts[i])) throw new ArgumentException($"Text {i} is empty.");
            encoded.Add(tokenizer.Encode(texts[i]));
        }
        var scores = await new SequenceScorer(await SourceAsync()).ScoreManyAsync(encoded);
        return [.. encoded.Select((tokens, i) => new TokenScores(tokens, scores[i]))];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<MethodAccuracyResult>> ScoreChoicesAsync(ChoiceScoringRequest request)
    {
        var current = RequireModel();
        ArgumentNullException.ThrowIfNull(request);
        var items = ChoiceScoringMapping.ToItems(request);
        var methods = ChoiceScoringMapping.ToMethods(request);
        var scorer = new BatchedContinuationScorer(await SourceAsync());
        var report = await MultipleChoiceEvaluation.EvaluateAsync(scorer, TokenizerFactory.Create(current.Tokenizer), items, methods, request.Seed);
        return ChoiceScoringMapping.ToResults(report);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<GeneratedToken> GenerateAsync(GenerationRequest request)
    {
        var current = RequireModel();
        if (string.IsNullOrEmpty(request.Prompt)) throw new ArgumentException("The prompt is empty.");
        if (request.MaxTokens <= 0) throw new ArgumentException($"MaxTokens must be positive (got {request.MaxTokens}).");
        var tokenizer = TokenizerFactory.Create(current.Tokenizer);
        var options = new SamplingOptions(request.Temperature, request.TopK, request.TopP, request.Seed).Validate();
        var generator = new TextGenerator(await SourceAsync());
        await foreach (var token in generator.GenerateAsync(tokenizer.Encode(request.Prompt), request.MaxTokens, options))
            yield return new GeneratedToken(token, tokenizer.Decode([token]));
    }

    private async Task<LogitsSource> SourceAsync()
    {
        var current = RequireModel();
        var router = await RouterAsync();
        var experts = Executor();
        return new LogitsSource((tokens, ct) => router.LogitsAsync(tokens, null, experts, ct, dropless: true), current.ContextLength, current.VocabularySize);
    }
}
