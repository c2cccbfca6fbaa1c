using MoeGrains.Deploy.Tests.Manifests;
using MoeGrains.Testing;
using Xunit.Abstractions;

namespace MoeGrains.Deploy.Tests.Processes;

/// <summary>
/// The compose topology run for real on loopback: each silo service becomes a silo process with exactly the environment compose
/// gives it, except that the Azurite host name becomes this test's Azurite on 127.0.0.1 and ports become free loopback ports.
/// </summary>
public sealed class ComposeOnLoopbackTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Compose_environment_forms_the_cluster_and_trains_through_it()
    {
        var compose = ComposeTopology.Load();
        await LoopbackDeployment.RunAsync([.. compose.SiloServices.Select(s => (s, compose.Environment(s)))], azurite, output);
    }
}
