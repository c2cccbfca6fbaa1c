namespace MoeGrains.Pipelines;

/// <summary>A pipeline file that cannot run: every problem found, each with its line and key. Nothing has run.</summary>
public sealed class PipelineDefinitionException : Exception
{
    /// <summary>Creates the exception for <paramref name="source"/> (a file name) and its problems.</summary>
    public PipelineDefinitionException(string source, IReadOnlyList<PipelineProblem> problems)
        : base(Describe(source, problems))
    {
        FileName = source;
        Problems = problems;
    }

    /// <summary>The pipeline file (not <see cref="Exception.Source"/>, which names the assembly that threw).</summary>
    public string FileName { get; }

    /// <summary>Every problem found, in file order.</summary>
    public IReadOnlyList<PipelineProblem> Problems { get; }

    private static string Describe(string source, IReadOnlyList<PipelineProblem> problems) =>
        problems.Count == 1
            ? $"Pipeline '{source}' is invalid: {problems[0]}"
            : $"Pipeline '{source}' has {problems.Count} problems:{Environment.NewLine}" +
              string.Join(Environment.NewLine, problems.Select(problem => "  " + problem));
}
