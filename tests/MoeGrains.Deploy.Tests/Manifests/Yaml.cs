using YamlDotNet.RepresentationModel;

namespace MoeGrains.Deploy.Tests.Manifests;

/// <summary>Reading YAML documents with YamlDotNet's representation model, failing with the path of whatever is missing.</summary>
internal static class Yaml
{
    /// <summary>Every document of <paramref name="path"/>, each a mapping (a parse error names the file, line and column).</summary>
    public static IReadOnlyList<YamlMappingNode> Documents(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        return [.. stream.Documents.Select((d, i) => d.RootNode as YamlMappingNode
            ?? throw new InvalidDataException($"{path}: document {i} is not a mapping (line {d.RootNode.Start.Line})."))];
    }

    /// <summary>The child mapping <paramref name="key"/>, or null.</summary>
    public static YamlMappingNode? Map(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child as YamlMappingNode : null;

    /// <summary>The child sequence <paramref name="key"/>, or null.</summary>
    public static YamlSequenceNode? Sequence(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child as YamlSequenceNode : null;

    /// <summary>The scalar <paramref name="key"/>, or null.</summary>
    public static string? Scalar(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? (child as YamlScalarNode)?.Value : null;

    /// <summary>The mapping at a dotted path such as <c>spec.template.spec</c>; fails naming the first missing part.</summary>
    public static YamlMappingNode Required(this YamlMappingNode node, string path, string where)
    {
        var current = node;
        foreach (var part in path.Split('.'))
            current = current.Map(part) ?? throw new InvalidDataException($"{where}: '{path}' is missing (no mapping '{part}').");
        return current;
    }

    /// <summary>A mapping of scalars as a dictionary.</summary>
    public static Dictionary<string, string> Strings(this YamlMappingNode? node) =>
        node is null ? [] : node.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => (p.Value as YamlScalarNode)?.Value ?? string.Empty);

    /// <summary>The mappings of a sequence (other items skipped).</summary>
    public static IEnumerable<YamlMappingNode> Mappings(this YamlSequenceNode? node) =>
        node is null ? [] : node.Children.OfType<YamlMappingNode>();
}
