using MoeGrains.Testing;

namespace MoeGrains.Deploy.Tests.Manifests;

/// <summary>Where the deployment files live in the repository.</summary>
internal static class DeploymentFiles
{
    public static string Root => RepositoryRoot.Find();

    public static string Docker(string name) => Path.Combine(Root, "deploy", "docker", name);

    public static string ComposeFolder => Path.Combine(Root, "deploy", "compose");

    public static string KubernetesFolder => Path.Combine(Root, "deploy", "k8s");
}
