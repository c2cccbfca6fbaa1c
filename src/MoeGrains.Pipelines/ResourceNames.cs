using System.Text.RegularExpressions;

namespace MoeGrains.Pipelines;

/// <summary>Model and dataset names as the cluster accepts them.</summary>
internal static partial class ResourceNames
{
    public const string Rule = "use 1-63 lower-case letters, digits, '-', '_' or '.', starting with a letter or digit";

    public static bool IsValid(string name) => name.Length is > 0 and <= 63 && Pattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex Pattern();
}
