using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace MoeGrains.Deploy.Tests.Manifests;

/// <summary>Every object of deploy/k8s (the files kustomization.yaml lists), and the environment a container would get.</summary>
internal sealed partial class KubernetesManifests
{
    private KubernetesManifests(IReadOnlyList<(string File, YamlMappingNode Node)> objects) => Objects = objects;

    public IReadOnlyList<(string File, YamlMappingNode Node)> Objects { get; }

    public static IReadOnlyList<string> ResourceFiles()
    {
        var kustomization = Yaml.Documents(Path.Combine(DeploymentFiles.KubernetesFolder, "kustomization.yaml")).Single();
        return [.. kustomization.Sequence("resources")!.Children.Select(r => ((YamlScalarNode)r).Value!)];
    }

    public static KubernetesManifests Load() =>
        new([.. ResourceFiles().SelectMany(file => Yaml.Documents(Path.Combine(DeploymentFiles.KubernetesFolder, file)).Select(node => (file, node)))]);

    public IEnumerable<YamlMappingNode> OfKind(string kind) => Objects.Where(o => o.Node.Scalar("kind") == kind).Select(o => o.Node);

    public YamlMappingNode Get(string kind, string name) =>
        OfKind(kind).SingleOrDefault(o => o.Map("metadata")?.Scalar("name") == name) ?? throw new InvalidDataException($"No {kind} named {name} in deploy/k8s.");

    /// <summary>Deployments and StatefulSets.</summary>
    public IEnumerable<YamlMappingNode> Workloads => OfKind("Deployment").Concat(OfKind("StatefulSet"));

    public static string Name(YamlMappingNode node) => node.Map("metadata")?.Scalar("name") ?? "(unnamed)";

    public static YamlMappingNode PodTemplate(YamlMappingNode workload) => workload.Required("spec.template", Name(workload));

    public static YamlMappingNode SiloContainer(YamlMappingNode workload) =>
        PodTemplate(workload).Required("spec", Name(workload)).Sequence("containers").Mappings().Single(c => c.Scalar("name") == "silo");

    /// <summary>
    /// The silo container's environment as the kubelet would set it: ConfigMap entries (envFrom), then env values with the
    /// downward API resolved from the pod template (labels, annotations, name, namespace) and <paramref name="podIp"/>,
    /// secrets from <paramref name="secrets"/> (<c>name/key</c> → value).
    /// </summary>
    public Dictionary<string, string> Environment(YamlMappingNode workload, IReadOnlyDictionary<string, string> secrets, string podIp = "10.1.2.3")
    {
        var where = Name(workload);
        var template = PodTemplate(workload);
        var metadata = template.Map("metadata")!;
        var labels = metadata.Map("labels").Strings();
        var annotations = metadata.Map("annotations").Strings();
        var container = SiloContainer(workload);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.Sequence("envFrom").Mappings())
        {
            var configMap = source.Map("configMapRef")?.Scalar("name") ?? throw new InvalidDataException($"{where}: only configMapRef envFrom is expected.");
            foreach (var (key, value) in Get("ConfigMap", configMap).Map("data").Strings()) environment[key] = value;
        }
        foreach (var entry in container.Sequence("env").Mappings())
        {
            var name = entry.Scalar("name")!;
            if (entry.Scalar("value") is { } value)
            {
                environment[name] = value;
                continue;
            }
            var from = entry.Map("valueFrom") ?? throw new InvalidDataException($"{where}: env {name} has neither value nor valueFrom.");
            if (from.Map("secretKeyRef") is { } secret)
            {
                var reference = $"{secret.Scalar("name")}/{secret.Scalar("key")}";
                environment[name] = secrets.TryGetValue(reference, out var secretValue) ? secretValue
                    : throw new InvalidDataException($"{where}: env {name} reads secret {reference}, which the test does not provide (document it).");
            }
            else if (from.Map("fieldRef")?.Scalar("fieldPath") is { } field)
            {
                environment[name] = Field(field, labels, annotations, where, podIp);
            }
            else if (from.Map("resourceFieldRef") is { } resource)
            {
                var limit = container.Map("resources")?.Map("limits")?.Scalar(resource.Scalar("resource")!.Replace("limits.", "", StringComparison.Ordinal))
                    ?? throw new InvalidDataException($"{where}: env {name} reads {resource.Scalar("resource")}, which the container does not set.");
                environment[name] = limit;
            }
            else
            {
                throw new InvalidDataException($"{where}: env {name} has an unknown valueFrom.");
            }
        }
        return environment;
    }

    private static string Field(string path, Dictionary<string, string> labels, Dictionary<string, string> annotations, string where, string podIp)
    {
        if (LabelPath().Match(path) is { Success: true } label)
        {
            var dictionary = label.Groups[1].Value == "labels" ? labels : annotations;
            return dictionary.TryGetValue(label.Groups[2].Value, out var value) ? value
                : throw new InvalidDataException($"{where}: fieldRef {path} names a {label.Groups[1].Value[..^1]} the pod template does not have.");
        }
        return path switch
        {
            "metadata.name" => $"{where}-0",
            "metadata.namespace" => "moegrains",
            "status.podIP" => podIp,
            "spec.nodeName" => "gpu-node-a",
            _ => throw new InvalidDataException($"{where}: fieldRef {path} is not one the test resolves."),
        };
    }

    [GeneratedRegex(@"^metadata\.(labels|annotations)\['([^']+)'\]$")]
    private static partial Regex LabelPath();
}
