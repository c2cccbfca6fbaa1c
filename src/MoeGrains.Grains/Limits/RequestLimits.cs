using MoeGrains.Abstractions.Limits;

namespace MoeGrains.Grains.Limits;

/// <summary>Checks requests against <see cref="RequestLimitOptions"/>.</summary>
public sealed class RequestLimits(RequestLimitOptions options)
{
    private const string Section = RequestLimitOptions.SectionName;

    /// <summary>The limits in force.</summary>
    public RequestLimitOptions Options { get; } = options;

    /// <exception cref="RequestLimitException">Too many texts, or a text too long.</exception>
    public void CheckScoreTexts(IReadOnlyList<string> texts)
    {
        if (texts.Count > Options.MaxTextsPerScore)
            throw new RequestLimitException($"A score call has {texts.Count} texts but at most {Options.MaxTextsPerScore} are allowed ({Section}:MaxTextsPerScore); split it.");
        for (var i = 0; i < texts.Count; i++)
            if (texts[i] is { } text && text.Length > Options.MaxPromptCharacters)
                throw new RequestLimitException($"Text {i} has {text.Length} characters but at most {Options.MaxPromptCharacters} are allowed ({Section}:MaxPromptCharacters).");
    }

    /// <exception cref="RequestLimitException">The texts' tokens together exceed the per-request limit.</exception>
    public void CheckScoreTokens(long tokens)
    {
        if (tokens > Options.MaxTokensPerRequest)
            throw new RequestLimitException($"The texts have {tokens} tokens together but a request may have at most {Options.MaxTokensPerRequest} ({Section}:MaxTokensPerRequest).");
    }

    /// <exception cref="RequestLimitException">The prompt is too long or too many tokens are asked for.</exception>
    public void CheckPrompt(string prompt, int maxTokens)
    {
        if (prompt.Length > Options.MaxPromptCharacters)
            throw new RequestLimitException($"The prompt has {prompt.Length} characters but at most {Options.MaxPromptCharacters} are allowed ({Section}:MaxPromptCharacters).");
        if (maxTokens > Options.MaxGeneratedTokens)
            throw new RequestLimitException($"MaxTokens is {maxTokens} but a generation may produce at most {Options.MaxGeneratedTokens} tokens ({Section}:MaxGeneratedTokens).");
    }

    /// <exception cref="RequestLimitException">Prompt plus generated tokens exceed the per-request limit.</exception>
    public void CheckGenerationTokens(int promptTokens, int maxTokens)
    {
        if ((long)promptTokens + maxTokens > Options.MaxTokensPerRequest)
            throw new RequestLimitException(
                $"The prompt has {promptTokens} tokens and {maxTokens} more are asked for, but a request may have at most {Options.MaxTokensPerRequest} ({Section}:MaxTokensPerRequest).");
    }

    /// <exception cref="RequestLimitException">The training batch is too large.</exception>
    public void CheckBatchSize(int batchSize)
    {
        if (batchSize > Options.MaxBatchSize)
            throw new RequestLimitException($"BatchSize is {batchSize} but at most {Options.MaxBatchSize} blocks per step are allowed ({Section}:MaxBatchSize).");
    }
}
