using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MoeGrains.Silo.Hosting;
using Orleans.Hosting.Kubernetes;

namespace MoeGrains.Deploy.Tests.Hosting;

/// <summary><c>MoeGrains:Silo:KubernetesHosting</c> switches Orleans Kubernetes hosting on; it is off by default.</summary>
public sealed class KubernetesSwitchTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public void The_switch_decides_whether_kubernetes_hosting_is_registered(string? setting, bool expected)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["MoeGrains:Silo:KubernetesHosting"] = setting });
        builder.UseOrleans(silo => silo.UseMoeGrainsSilo(builder.Configuration));
        using var host = builder.Build();
        Assert.Equal(expected, host.Services.GetServices<IConfigureOptions<KubernetesHostingOptions>>().Any());
    }
}
