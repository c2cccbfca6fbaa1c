namespace MoeGrains.Faults.Tests.Cluster;

/// <summary>A small corpus cut from the bundled sample corpus: three domains, the first few KB of each split.</summary>
internal static class FaultCorpus
{
    public static readonly string[] Domains = ["code", "literature", "wikipedia"];

    public static void Write(string folder, int charactersPerSplit = 6000)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "sample-corpus");
        foreach (var domain in Domains)
        {
            Directory.CreateDirectory(Path.Combine(folder, domain));
            foreach (var split in new[] { "train", "valid" })
            {
                var text = File.ReadAllText(Path.Combine(source, domain, split + ".txt"));
                var cut = text.LastIndexOf("\n\n", Math.Min(charactersPerSplit, text.Length - 1), StringComparison.Ordinal);
                File.WriteAllText(Path.Combine(folder, domain, split + ".txt"), cut > 0 ? text[..cut] : text);
            }
        }
    }
}
