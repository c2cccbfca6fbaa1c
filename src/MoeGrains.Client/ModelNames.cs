using System.Text.RegularExpressions;

namespace MoeGrains.Client;

/// <summary>Model and dataset names: lower-case letters, digits, '-', '_' and '.', starting with a letter or digit.</summary>
internal static partial class ModelNames
{
    public static void Validate(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 63 || !Pattern().IsMatch(name))
            throw new ArgumentException($"'{name}' is not a valid name: use 1-63 lower-case letters, digits, '-', '_' or '.', starting with a letter or digit.");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex Pattern();
}
