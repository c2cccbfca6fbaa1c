using System.Text.RegularExpressions;
using MoeGrains.Client;

namespace MoeGrains.Cli.Cluster;

/// <summary>Default model and dataset names for runs through grains.</summary>
internal static partial class ClusterNames
{
    /// <summary>A dataset name from a corpus folder's name: lower case, other characters replaced by '-'.</summary>
    public static string DatasetFor(string corpusFolder)
    {
        var name = Unsafe().Replace(Path.GetFileName(Path.GetFullPath(corpusFolder).TrimEnd('/')).ToLowerInvariant(), "-").Trim('-', '.', '_');
        return name.Length == 0 ? "corpus" : name[..Math.Min(name.Length, 63)];
    }

    /// <summary><paramref name="stem"/>, or the first of stem-2, stem-3, … that the cluster does not know.</summary>
    public static async Task<string> FreeModelNameAsync(MoeClient client, string stem)
    {
        var taken = (await client.ListModelsAsync()).ToHashSet(StringComparer.Ordinal);
        var candidate = stem;
        for (var suffix = 2; taken.Contains(candidate); suffix++) candidate = $"{stem}-{suffix}";
        return candidate;
    }

    [GeneratedRegex("[^a-z0-9._-]+")]
    private static partial Regex Unsafe();
}
