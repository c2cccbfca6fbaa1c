using System.Text.RegularExpressions;

namespace MoeGrains.Deploy.Tests.Manifests;

/// <summary>A Dockerfile read as its stages (FROM image AS name) with their instructions; line continuations joined, comments dropped.</summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(string path, IReadOnlyList<Stage> stages, IReadOnlyDictionary<string, string> arguments)
    {
        Path = path;
        Stages = stages;
        Arguments = arguments;
    }

    public string Path { get; }

    public IReadOnlyList<Stage> Stages { get; }

    /// <summary>Global ARG defaults (before the first FROM).</summary>
    public IReadOnlyDictionary<string, string> Arguments { get; }

    public Stage this[string name] => Stages.SingleOrDefault(s => s.Name == name) ?? throw new InvalidDataException($"{Path}: no stage named {name}.");

    public static Dockerfile Load(string path)
    {
        var stages = new List<Stage>();
        var arguments = new Dictionary<string, string>();
        foreach (var instruction in Instructions(File.ReadAllLines(path)))
        {
            var space = instruction.IndexOf(' ');
            var (keyword, rest) = space < 0 ? (instruction, "") : (instruction[..space].ToUpperInvariant(), instruction[(space + 1)..].Trim());
            if (keyword == "FROM")
            {
                var match = FromPattern().Match(rest);
                if (!match.Success) throw new InvalidDataException($"{path}: FROM '{rest}' has no 'AS name'.");
                stages.Add(new Stage(match.Groups[2].Value, Resolve(match.Groups[1].Value, arguments), []));
            }
            else if (stages.Count == 0 && keyword == "ARG" && rest.Split('=', 2) is [var name, var value])
            {
                arguments[name] = value;
            }
            else if (stages.Count > 0)
            {
                stages[^1].Instructions.Add((keyword, rest));
            }
        }
        return new Dockerfile(path, stages, arguments);
    }

    private static string Resolve(string image, Dictionary<string, string> arguments) =>
        ArgumentPattern().Replace(image, m => arguments.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    private static IEnumerable<string> Instructions(IEnumerable<string> lines)
    {
        var current = "";
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && current.Length == 0)) continue;
            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }
            current += line;
            if (current.Trim().Length > 0) yield return current.Trim();
            current = "";
        }
    }

    [GeneratedRegex(@"^(\S+)\s+AS\s+(\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex FromPattern();

    [GeneratedRegex(@"\$\{(\w+)\}")]
    private static partial Regex ArgumentPattern();

    /// <summary>One build stage.</summary>
    public sealed record Stage(string Name, string Image, List<(string Keyword, string Arguments)> Instructions)
    {
        public IEnumerable<string> Run => Instructions.Where(i => i.Keyword == "RUN").Select(i => i.Arguments);

        public IEnumerable<string> Copy => Instructions.Where(i => i.Keyword == "COPY").Select(i => i.Arguments);

        public string? Entrypoint => Instructions.LastOrDefault(i => i.Keyword == "ENTRYPOINT").Arguments;
    }
}
