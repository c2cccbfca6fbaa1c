namespace MoeGrains.Pipelines.Tests;

/// <summary>A temporary folder holding a two-domain corpus (alpha, beta) that pipeline files can point at.</summary>
public sealed class CorpusFixture : IDisposable
{
    public CorpusFixture()
    {
        Root = Directory.CreateTempSubdirectory("moe-pipeline-").FullName;
        foreach (var domain in new[] { "alpha", "beta", "gamma" })
        {
            Directory.CreateDirectory(Path.Combine(Root, "corpus", domain));
            File.WriteAllText(Path.Combine(Root, "corpus", domain, "train.txt"), $"some {domain} text\n");
        }
        Directory.CreateDirectory(Path.Combine(Root, "corpus", "notes")); // a folder without train.txt is not a domain
    }

    public string Root { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
