namespace MoeGrains.Cli;

/// <summary>The corpus that ships with the command line, used when no --corpus is given.</summary>
internal static class SampleCorpus
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "sample-corpus");

    public static string Resolve(string? requested) => string.IsNullOrWhiteSpace(requested) ? Directory : requested;
}
