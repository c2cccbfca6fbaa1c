namespace MoeGrains.Pipelines;

/// <summary>One thing wrong with a pipeline file, located by line, column and key.</summary>
/// <param name="Line">1-based line in the file (0 when the problem is the file as a whole).</param>
/// <param name="Column">1-based column.</param>
/// <param name="Key">The key (or stage) the problem is about, e.g. <c>stages[2].steps</c>.</param>
/// <param name="Message">What is wrong and what was expected.</param>
public sealed record PipelineProblem(int Line, int Column, string Key, string Message)
{
    /// <summary>The problem as <c>line L, column C, key K: message</c>.</summary>
    public override string ToString() => Line > 0 ? $"line {Line}, column {Column}, key '{Key}': {Message}" : $"key '{Key}': {Message}";
}
