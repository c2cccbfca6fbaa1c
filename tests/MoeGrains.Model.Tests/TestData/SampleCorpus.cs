namespace MoeGrains.Model.Tests.TestData;

/// <summary>The CLI's bundled sample corpus, copied next to the test assembly.</summary>
internal static class SampleCorpus
{
    /// <summary>The sample-corpus folder in the test output directory.</summary>
    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "sample-corpus");
}
