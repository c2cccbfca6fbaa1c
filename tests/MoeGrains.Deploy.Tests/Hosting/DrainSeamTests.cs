using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MoeGrains.Abstractions.Models;
using MoeGrains.Grains.Cluster;
using MoeGrains.Silo.Hosting;
using MoeGrains.Testing;

namespace MoeGrains.Deploy.Tests.Hosting;

/// <summary>
/// The graceful-shutdown seam: the silo host's one registered drain is the expert drain; another registered <see cref="ISiloDrain"/>
/// runs when the silo host stops, while grain calls still work, and the readiness probe already reports the silo as not ready;
/// before shutdown the probe reports it ready.
/// </summary>
public sealed class DrainSeamTests
{
    [Fact]
    public void The_silo_host_registers_the_expert_drain_as_its_one_drain()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["MoeGrains:Silo:DrainOnShutdown"] = "true" });
        builder.UseOrleans(silo => silo.UseMoeGrainsSilo(builder.Configuration));
        using var host = builder.Build();

        var drain = Assert.Single(host.Services.GetServices<ISiloDrain>());
        Assert.Equal("ExpertDrain", drain.GetType().Name);
    }

    [Fact]
    public async Task Stopping_the_silo_runs_the_drain_while_grains_answer_and_readiness_fails()
    {
        var ports = FreePorts.Take(3);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:ClusterId"] = $"drain{Guid.NewGuid():N}"[..14],
            ["MoeGrains:Silo:SiloPort"] = $"{ports[0]}",
            ["MoeGrains:Silo:GatewayPort"] = $"{ports[1]}",
            ["MoeGrains:Health:Port"] = $"{ports[2]}",
            ["MoeGrains:Checkpoints:LocalRoot"] = Path.Combine(Path.GetTempPath(), $"moe-drain-{Guid.NewGuid():N}"),
        });
        var drain = new RecordingDrain(ports[2]);
        builder.Services.AddSingleton<ISiloDrain>(drain);
        builder.UseOrleans(silo => silo.UseMoeGrainsSilo(builder.Configuration));
        using var host = builder.Build();
        drain.Grains = host.Services.GetRequiredService<IGrainFactory>();

        await host.StartAsync();
        using var http = new HttpClient();
        var before = await ReadinessAsync(http, ports[2]);
        await host.StopAsync();

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.True(drain.Ran, "the drain did not run on shutdown");
        Assert.Null(drain.GrainCallError);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, drain.ReadinessDuringDrain);
    }

    private static async Task<HttpStatusCode> ReadinessAsync(HttpClient http, int port)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz/ready"));
                if (response.StatusCode == HttpStatusCode.OK || attempt > 100) return response.StatusCode;
            }
            catch (HttpRequestException) when (attempt < 100)
            {
            }
            await Task.Delay(100);
        }
    }

    private sealed class RecordingDrain(int healthPort) : ISiloDrain
    {
        public IGrainFactory? Grains { get; set; }

        public bool Ran { get; private set; }

        public Exception? GrainCallError { get; private set; }

        public HttpStatusCode? ReadinessDuringDrain { get; private set; }

        public async Task DrainAsync(CancellationToken cancellationToken)
        {
            Ran = true;
            try
            {
                await Grains!.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key).ListAsync();
            }
            catch (Exception e)
            {
                GrainCallError = e;
            }
            using var http = new HttpClient();
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{healthPort}/healthz/ready"), cancellationToken);
            ReadinessDuringDrain = response.StatusCode;
        }
    }
}
