using System.Text.Json;
using MoeGrains.Deploy.Tests.Configuration;

namespace MoeGrains.Deploy.Tests.Manifests;

/// <summary>deploy/compose checked offline: the topology of the multi-process tests, and only settings the silo host reads.</summary>
public sealed class ComposeTests
{
    private readonly ComposeTopology compose = ComposeTopology.Load();

    [Fact]
    public void Topology_is_azurite_one_gateway_router_silo_and_two_expert_silos()
    {
        var silos = compose.SiloServices.ToList();
        Assert.Equal(3, silos.Count);
        var gateways = silos.Where(s => compose.Environment(s)["MoeGrains__Silo__GatewayPort"] != "0").ToList();
        var gateway = Assert.Single(gateways);
        Assert.Equal("0", compose.Environment(gateway)["MoeGrains__Accelerator__ExpertSlots"]);
        var experts = silos.Except(gateways).ToList();
        Assert.Equal(2, experts.Count);
        Assert.All(experts, e => Assert.True(int.Parse(compose.Environment(e)["MoeGrains__Accelerator__ExpertSlots"]) > 0, $"{e} offers no expert slots"));
        Assert.All(silos, s =>
        {
            var environment = compose.Environment(s);
            Assert.Equal("AzureStorage", environment["MoeGrains__Silo__Clustering"]);
            Assert.Equal("AzureBlob", environment["MoeGrains__Storage__Provider"]);
            Assert.Equal("AzureBlob", environment["MoeGrains__Checkpoints__Kind"]);
            Assert.Contains("azurite:", environment["MoeGrains__Silo__ConnectionString"], StringComparison.Ordinal);
        });
        Assert.Equal("silo", compose.Service(gateway).Map("build")!.Scalar("target"));
        Assert.Equal("deploy/docker/Dockerfile", compose.Service(gateway).Map("build")!.Scalar("dockerfile"));
        Assert.NotNull(Dockerfile.Load(DeploymentFiles.Docker("Dockerfile"))["silo"].Entrypoint);
    }

    [Fact]
    public void Azurite_image_is_the_version_the_repository_pins()
    {
        var pinned = JsonDocument.Parse(File.ReadAllText(Path.Combine(DeploymentFiles.Root, "deploy", "azurite", "package.json")))
            .RootElement.GetProperty("dependencies").GetProperty("azurite").GetString();
        Assert.Equal($"mcr.microsoft.com/azure-storage/azurite:{pinned}", compose.Service("azurite").Scalar("image"));
    }

    [Fact]
    public void Every_setting_compose_gives_a_silo_is_read_and_accepted_by_the_silo_host()
    {
        foreach (var silo in compose.SiloServices)
            Assert.Empty(SiloConfigurationKeys.Problems(compose.Environment(silo), $"compose service {silo}"));
    }

    [Fact]
    public void A_key_the_silo_host_does_not_read_is_reported_by_name()
    {
        var problems = SiloConfigurationKeys.Problems(new Dictionary<string, string>
        {
            ["MoeGrains__Silo__Clusterng"] = "Redis",
            ["MoeGrains__Acelerator__ExpertSlots"] = "4",
            ["MoeGrains__Storage__Provider"] = "Blobs",
        }, "test");
        Assert.Contains(problems, p => p.Contains("Clusterng", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("MoeGrains__Acelerator__ExpertSlots is read by nothing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("MoeGrains:Storage", StringComparison.Ordinal) && p.Contains("Blobs", StringComparison.Ordinal));
    }
}
