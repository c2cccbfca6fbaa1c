using Microsoft.Extensions.Options;

namespace MoeGrains.Grains.Limits;

/// <summary>Every limit must be positive.</summary>
public sealed class RequestLimitOptionsValidator : IValidateOptions<RequestLimitOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RequestLimitOptions options)
    {
        var values = new (string Key, int Value)[]
        {
            (nameof(options.MaxTokensPerRequest), options.MaxTokensPerRequest),
            (nameof(options.MaxPromptCharacters), options.MaxPromptCharacters),
            (nameof(options.MaxGeneratedTokens), options.MaxGeneratedTokens),
            (nameof(options.MaxTextsPerScore), options.MaxTextsPerScore),
            (nameof(options.MaxBatchSize), options.MaxBatchSize),
        };
        var failures = values.Where(v => v.Value <= 0).Select(v => $"{RequestLimitOptions.SectionName}:{v.Key}={v.Value} must be positive.").ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
