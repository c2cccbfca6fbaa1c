using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace MoeGrains.Pipelines;

/// <summary>
/// Reads one YAML mapping with a fixed set of keys: reports unknown keys, missing required keys and values of the wrong
/// type or range as <see cref="PipelineProblem"/>s (with line, column and the key's path) instead of throwing, so one
/// pass finds every problem of a file.
/// </summary>
internal sealed class MappingReader
{
    private readonly YamlMappingNode node;
    private readonly string path;
    private readonly List<PipelineProblem> problems;

    public MappingReader(YamlMappingNode node, string path, List<PipelineProblem> problems, params string[] allowedKeys)
    {
        this.node = node;
        this.path = path;
        this.problems = problems;
        foreach (var (key, _) in node.Children)
        {
            var name = (key as YamlScalarNode)?.Value;
            if (name is null || !allowedKeys.Contains(name, StringComparer.Ordinal))
                Report(key, KeyPath(name ?? "?"), $"unknown key '{name}'; expected one of: {string.Join(", ", allowedKeys)}.");
        }
    }

    public YamlNode Node => node;

    public string KeyPath(string key) => path.Length == 0 ? key : $"{path}.{key}";

    public YamlNode? Find(string key) =>
        node.Children.FirstOrDefault(pair => (pair.Key as YamlScalarNode)?.Value == key).Value;

    public string? RequiredString(string key)
    {
        var value = OptionalString(key, null);
        if (value is null && Find(key) is null) Report(node, KeyPath(key), $"'{key}' is required.");
        return value;
    }

    public string? OptionalString(string key, string? fallback)
    {
        var value = Find(key);
        if (value is null) return fallback;
        if (value is YamlScalarNode { Value: { Length: > 0 } text }) return text;
        Report(value, KeyPath(key), $"'{key}' must be a non-empty text value.");
        return fallback;
    }

    public int RequiredInt(string key, int minimum)
    {
        if (Find(key) is null) Report(node, KeyPath(key), $"'{key}' is required (an integer ≥ {minimum}).");
        return OptionalInt(key, minimum, minimum);
    }

    public int OptionalInt(string key, int fallback, int minimum)
    {
        var value = Find(key);
        if (value is null) return fallback;
        if (value is YamlScalarNode scalar && int.TryParse(scalar.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= minimum)
            return parsed;
        Report(value, KeyPath(key), $"'{key}' must be an integer ≥ {minimum}, not '{Describe(value)}'.");
        return fallback;
    }

    public double OptionalPositiveDouble(string key, double fallback)
    {
        var value = Find(key);
        if (value is null) return fallback;
        if (value is YamlScalarNode scalar && double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            && parsed > 0 && double.IsFinite(parsed))
            return parsed;
        Report(value, KeyPath(key), $"'{key}' must be a positive number, not '{Describe(value)}'.");
        return fallback;
    }

    public bool OptionalBool(string key, bool fallback)
    {
        var value = Find(key);
        if (value is null) return fallback;
        if (value is YamlScalarNode scalar && bool.TryParse(scalar.Value, out var parsed)) return parsed;
        Report(value, KeyPath(key), $"'{key}' must be true or false, not '{Describe(value)}'.");
        return fallback;
    }

    public string OptionalChoice(string key, string fallback, params string[] choices)
    {
        var value = OptionalString(key, fallback) ?? fallback;
        if (choices.Contains(value, StringComparer.Ordinal)) return value;
        Report(Find(key) ?? node, KeyPath(key), $"'{key}' must be one of {string.Join(", ", choices)}, not '{value}'.");
        return fallback;
    }

    public IReadOnlyList<string> OptionalStringList(string key)
    {
        var value = Find(key);
        if (value is null) return [];
        if (value is YamlSequenceNode sequence && sequence.Children.All(item => item is YamlScalarNode { Value.Length: > 0 }))
            return [.. sequence.Children.Cast<YamlScalarNode>().Select(item => item.Value!)];
        Report(value, KeyPath(key), $"'{key}' must be a list of names, e.g. [a, b].");
        return [];
    }

    public void Report(YamlNode at, string key, string message) =>
        problems.Add(new PipelineProblem((int)at.Start.Line, (int)at.Start.Column, key, message));

    private static string Describe(YamlNode value) => value is YamlScalarNode scalar ? scalar.Value ?? "" : value.NodeType.ToString().ToLowerInvariant();
}
