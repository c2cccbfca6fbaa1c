namespace MoeGrains.Grains.Limits;

/// <summary>
/// The largest request a router accepts, so one client cannot exhaust a silo's memory or hold the model for minutes.
/// Bound from <c>MoeGrains:Limits</c>; a request over a limit fails with <see cref="MoeGrains.Abstractions.Limits.RequestLimitException"/> naming the limit.
/// </summary>
public sealed class RequestLimitOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "MoeGrains:Limits";

    /// <summary>Tokens one request may make the model process: a score call's text tokens, or a generation's prompt plus new tokens (default 65 536).</summary>
    public int MaxTokensPerRequest { get; set; } = 65_536;

    /// <summary>Characters of a generation prompt or of one scored text, checked before tokenizing (default 100 000).</summary>
    public int MaxPromptCharacters { get; set; } = 100_000;

    /// <summary>Tokens a generation may produce (<c>MaxTokens</c>; default 4 096).</summary>
    public int MaxGeneratedTokens { get; set; } = 4_096;

    /// <summary>Texts in one score call (default 256).</summary>
    public int MaxTextsPerScore { get; set; } = 256;

    /// <summary>Blocks per training step (<c>BatchSize</c>; default 1 024).</summary>
    public int MaxBatchSize { get; set; } = 1_024;
}
