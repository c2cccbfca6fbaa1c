using System.Globalization;
using System.Text.RegularExpressions;

namespace MoeGrains.Storage.Layout;

/// <summary>
/// The one layout both backends share, keyed by global ids (never by silo):
/// <c>models/{model}/v{version}/router/{file}</c>, <c>models/{model}/v{version}/experts/{layer}-{expert}/{file}</c>,
/// <c>models/{model}/v{version}/manifest.json</c> and <c>datasets/{name}/{domain}/{split}.txt</c>.
/// </summary>
public static partial class CheckpointLayout
{
    /// <summary>The name of the file that commits a version.</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>The relative path of a router file inside a checkpoint, e.g. <c>router/weights.bin</c>.</summary>
    /// <param name="file">The file name.</param>
    public static string Router(string file)
    {
        StorageNames.ValidateFileName(file, nameof(file));
        return $"router/{file}";
    }

    /// <summary>The relative path of an expert's file inside a checkpoint, e.g. <c>experts/3-7/weights.bin</c>.</summary>
    /// <param name="layer">The MoE layer index.</param>
    /// <param name="expert">The expert index within the layer.</param>
    /// <param name="file">The file name.</param>
    public static string Expert(int layer, int expert, string file)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfNegative(expert);
        StorageNames.ValidateFileName(file, nameof(file));
        return string.Create(CultureInfo.InvariantCulture, $"experts/{layer}-{expert}/{file}");
    }

    /// <summary>
    /// The relative path of a domain-expert file inside a checkpoint, e.g. <c>domain/weights.bin</c> (a DEMix expert's FFNs, or a
    /// mixture's manifest).
    /// </summary>
    /// <param name="file">The file name.</param>
    public static string Domain(string file)
    {
        StorageNames.ValidateFileName(file, nameof(file));
        return $"domain/{file}";
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the path unless it is <c>router/{file}</c>, <c>experts/{layer}-{expert}/{file}</c> or <c>domain/{file}</c>.</summary>
    /// <param name="relativePath">The path inside a checkpoint version.</param>
    /// <param name="parameterName">The caller's parameter name.</param>
    public static void ValidateRelativePath(string? relativePath, string parameterName)
    {
        if (relativePath is null || relativePath.Length > 256 || !RelativePathPattern().IsMatch(relativePath))
            throw new ArgumentException(
                $"The checkpoint path '{relativePath}' is not part of the layout; expected 'router/{{file}}', 'experts/{{layer}}-{{expert}}/{{file}}' or 'domain/{{file}}' (see CheckpointLayout.Router/Expert/Domain).",
                parameterName);
    }

    internal static string ModelPrefix(string model) => $"models/{model}/";

    internal static string VersionPrefix(string model, long version) =>
        string.Create(CultureInfo.InvariantCulture, $"models/{model}/v{version}/");

    internal static string ManifestPath(string model, long version) => VersionPrefix(model, version) + ManifestFileName;

    internal static string WriterClaimPath(string model, long version) => VersionPrefix(model, version) + ".writer";

    internal static string BlobPath(string model, long version, string relativePath) => VersionPrefix(model, version) + relativePath;

    internal static string DatasetPrefix(string name) => $"datasets/{name}/";

    internal static string DatasetPath(string name, string domain, string split) => $"datasets/{name}/{domain}/{split}.txt";

    /// <summary>Parses a version folder name (<c>v12</c>) into its number; false for anything else.</summary>
    internal static bool TryParseVersionFolder(string folder, out long version)
    {
        version = 0;
        return folder.Length > 1 && folder[0] == 'v' && char.IsAsciiDigit(folder[1]) && folder[1] != '0'
            && long.TryParse(folder.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out version);
    }

    [GeneratedRegex("^(router|domain|experts/[0-9]{1,6}-[0-9]{1,6})/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex RelativePathPattern();
}
