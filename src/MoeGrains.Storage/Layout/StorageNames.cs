using System.Text.RegularExpressions;

namespace MoeGrains.Storage.Layout;

/// <summary>Validates the global names that key the store's layout: models, datasets, domains, splits and checkpoint file names.</summary>
public static partial class StorageNames
{
    /// <summary>Longest accepted model, dataset, domain or split name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Longest accepted file name inside a checkpoint.</summary>
    public const int MaxFileNameLength = 128;

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="value"/> unless it matches <c>[a-z0-9][a-z0-9-_.]*</c> and is at most <see cref="MaxNameLength"/> characters.</summary>
    /// <param name="value">The name to check.</param>
    /// <param name="kind">What the name is, for the message ("model", "dataset", "domain", "split").</param>
    /// <param name="parameterName">The caller's parameter name.</param>
    public static void Validate(string? value, string kind, string parameterName)
    {
        if (string.IsNullOrEmpty(value))
            throw new ArgumentException($"The {kind} name must not be empty; expected [a-z0-9][a-z0-9-_.]* of at most {MaxNameLength} characters.", parameterName);
        if (value.Length > MaxNameLength)
            throw new ArgumentException($"The {kind} name '{value}' has {value.Length} characters; at most {MaxNameLength} are allowed.", parameterName);
        if (!NamePattern().IsMatch(value))
            throw new ArgumentException($"The {kind} name '{value}' is not valid; expected lower-case letters, digits, '-', '_' or '.', starting with a letter or digit.", parameterName);
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="value"/> unless it is a file name of letters, digits, '-', '_' or '.', starting with a letter or digit.</summary>
    /// <param name="value">The file name to check (no folders).</param>
    /// <param name="parameterName">The caller's parameter name.</param>
    public static void ValidateFileName(string? value, string parameterName)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxFileNameLength || !FileNamePattern().IsMatch(value))
            throw new ArgumentException($"The checkpoint file name '{value}' is not valid; expected letters, digits, '-', '_' or '.', starting with a letter or digit, at most {MaxFileNameLength} characters.", parameterName);
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless <paramref name="version"/> is at least 1.</summary>
    /// <param name="version">The checkpoint version.</param>
    /// <param name="parameterName">The caller's parameter name.</param>
    public static void ValidateVersion(long version, string parameterName)
    {
        if (version < 1)
            throw new ArgumentOutOfRangeException(parameterName, version, $"Checkpoint version {version} is not valid; versions start at 1.");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();
}
