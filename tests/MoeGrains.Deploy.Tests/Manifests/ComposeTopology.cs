using YamlDotNet.RepresentationModel;

namespace MoeGrains.Deploy.Tests.Manifests;

/// <summary>deploy/compose/compose.yaml read as the services and the environment each container gets (env_file, then environment).</summary>
internal sealed class ComposeTopology
{
    private ComposeTopology(YamlMappingNode services, string folder)
    {
        Services = services;
        Folder = folder;
    }

    public YamlMappingNode Services { get; }

    public string Folder { get; }

    public IEnumerable<string> ServiceNames => Services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!);

    /// <summary>Services built from or running the silo image (their entrypoint is the silo host).</summary>
    public IEnumerable<string> SiloServices => ServiceNames.Where(name => Service(name).Scalar("image")?.StartsWith("moegrains/silo", StringComparison.Ordinal) == true);

    public static ComposeTopology Load()
    {
        var folder = DeploymentFiles.ComposeFolder;
        var document = Yaml.Documents(Path.Combine(folder, "compose.yaml")).Single();
        return new ComposeTopology(document.Map("services") ?? throw new InvalidDataException("compose.yaml has no services."), folder);
    }

    public YamlMappingNode Service(string name) => Services.Map(name) ?? throw new InvalidDataException($"compose.yaml has no service '{name}'.");

    /// <summary>The environment compose gives <paramref name="service"/>: its env_file lines, then its environment entries.</summary>
    public Dictionary<string, string> Environment(string service)
    {
        var node = Service(service);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node.Scalar("env_file") is { } file)
        {
            foreach (var line in File.ReadAllLines(Path.Combine(Folder, file)))
            {
                var trimmed = line.Trim();
                if (trimmed.Length == 0 || trimmed.StartsWith('#')) continue;
                var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0) throw new InvalidDataException($"{file}: '{line}' is not NAME=value.");
                environment[trimmed[..equals]] = trimmed[(equals + 1)..];
            }
        }
        foreach (var (key, value) in node.Map("environment").Strings()) environment[key] = value;
        return environment;
    }
}
