namespace MoeGrains.Cluster.Tests.Equivalence;

/// <summary>The bundled sample corpus with its validation split cut short, so cluster evaluations stay quick.</summary>
internal static class TestCorpus
{
    public static string SampleCorpus => Path.Combine(AppContext.BaseDirectory, "sample-corpus");

    /// <summary>Writes the corpus to a new folder: train as shipped, valid cut to about <paramref name="validChars"/> characters per domain.</summary>
    public static string WriteShortValid(string root, int validChars = 3000)
    {
        foreach (var domainDirectory in Directory.GetDirectories(SampleCorpus))
        {
            var target = Directory.CreateDirectory(Path.Combine(root, Path.GetFileName(domainDirectory))).FullName;
            File.Copy(Path.Combine(domainDirectory, "train.txt"), Path.Combine(target, "train.txt"));
            var valid = File.ReadAllText(Path.Combine(domainDirectory, "valid.txt"));
            var cut = valid.Length <= validChars ? valid : valid[..valid.LastIndexOf('\n', validChars)];
            File.WriteAllText(Path.Combine(target, "valid.txt"), cut.TrimEnd('\n') + "\n");
        }
        return root;
    }
}
