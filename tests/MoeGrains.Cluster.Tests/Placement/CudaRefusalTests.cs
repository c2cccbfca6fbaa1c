using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MoeGrains.Grains.Hosting;
using MoeGrains.Grains.Placement;

namespace MoeGrains.Cluster.Tests.Placement;

/// <summary>A silo configured for CUDA on a host without it refuses to start, naming the setting.</summary>
public sealed class CudaRefusalTests
{
    private const string Refusal = "MoeGrains:Accelerator:Accelerator=cuda but CUDA is not available on this host";

    [Fact]
    public async Task A_cuda_silo_on_this_host_refuses_to_start()
    {
        // The real TorchSharp probe: this host (and CI) has no GPU and references the CPU build of LibTorch.
        Assert.False(new TorchAcceleratorProbe().IsCudaAvailable, "This test expects a host without CUDA.");

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartSilo(probe: null));

        Assert.Contains(Refusal, failure.Message);
    }

    [Fact]
    public async Task A_cuda_silo_asking_for_more_devices_than_visible_refuses_to_start()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartSilo(new FakeAcceleratorProbe(cudaDevices: 1), devices: 2));

        Assert.Contains("MoeGrains:Accelerator:Devices=2 but only 1 CUDA device(s) are visible", failure.Message);
    }

    private static async Task StartSilo(IAcceleratorProbe? probe, int devices = 1)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MoeGrains:Accelerator:Accelerator"] = "cuda",
            ["MoeGrains:Accelerator:Devices"] = devices.ToString(),
        });
        if (probe is not null)
            builder.Services.AddSingleton(probe);
        // Ports no other test uses; validation fails before the silo binds them.
        builder.UseOrleans(silo => silo.UseLocalhostClustering(siloPort: 21111, gatewayPort: 23000).UseMoeGrains(builder.Configuration));
        using var host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();
    }
}
