using MoeGrains.Deploy.Tests.Manifests;
using MoeGrains.Testing;
using Xunit.Abstractions;

namespace MoeGrains.Deploy.Tests.Processes;

/// <summary>
/// The Kubernetes manifests' silos run on loopback: one gateway pod and one expert pod get the environment the kubelet would
/// give them (ConfigMap, downward API, the Secret's keys holding this test's Azurite connection string, pod IP 127.0.0.1),
/// except for the two settings only a real cluster can satisfy: Kubernetes hosting (it calls the Kubernetes API) and the
/// expert pod's <c>cuda</c> accelerator (this machine has no GPU) — both replaced, and named here.
/// </summary>
public sealed class KubernetesOnLoopbackTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Manifest_environment_forms_the_cluster_and_trains_through_it()
    {
        var manifests = KubernetesManifests.Load();
        var secrets = KubernetesManifestTests.DocumentedSecrets.ToDictionary(s => s.Key, _ => azurite.ConnectionString);
        var gateway = manifests.Environment(manifests.Get("Deployment", "moegrains-gateway"), secrets, podIp: "127.0.0.1");
        var expert = manifests.Environment(manifests.Get("StatefulSet", "moegrains-expert"), secrets, podIp: "127.0.0.1");
        foreach (var environment in new[] { gateway, expert })
        {
            Assert.Equal("true", environment["MoeGrains__Silo__KubernetesHosting"]);
            environment["MoeGrains__Silo__KubernetesHosting"] = "false";
            environment["MOE_TORCH_THREADS"] = "1";
        }
        Assert.Equal("cuda", expert["MoeGrains__Accelerator__Accelerator"]);
        expert["MoeGrains__Accelerator__Accelerator"] = "cpu";
        await LoopbackDeployment.RunAsync([("moegrains-gateway", gateway), ("moegrains-expert", expert)], azurite, output);
    }
}
