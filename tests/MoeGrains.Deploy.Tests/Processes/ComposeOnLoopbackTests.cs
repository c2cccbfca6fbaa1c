using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Configuration;
using MoeGrains.Abstractions.Training;
using MoeGrains.Client.Connection;
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
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Compose_environment_forms_the_cluster_and_trains_through_it()
    {
        var clock = Stopwatch.StartNew();
        var compose = ComposeTopology.Load();
        var services = compose.SiloServices.ToList();
        var healthPorts = FreePorts.Take(services.Count);
        var perSilo = services.Select((service, i) => Rewrite(compose.Environment(service), healthPorts[i])).ToArray();
        // The gateway first: SiloProcessCluster gives the silos free silo and gateway ports in this order.
        var order = Enumerable.Range(0, services.Count).OrderBy(i => perSilo[i].ContainsKey("MoeGrains__Silo__GatewayPort") ? 1 : 0).ToArray();
        await using var silos = await SiloProcessCluster.StartAsync(new Dictionary<string, string>(), [.. order.Select(i => perSilo[i])]);
        try
        {
            foreach (var i in order) await WaitForReadyAsync(healthPorts[i], services[i], silos);
            var ready = clock.Elapsed;

            var gatewayEnvironment = perSilo[order[0]];
            var clientSettings = new Dictionary<string, string?>
            {
                ["Orleans:ClusterId"] = gatewayEnvironment["Orleans__ClusterId"],
                ["Orleans:ServiceId"] = gatewayEnvironment["Orleans__ServiceId"],
                ["MoeGrains:Silo:Clustering"] = gatewayEnvironment["MoeGrains__Silo__Clustering"],
                ["MoeGrains:Silo:ConnectionString"] = gatewayEnvironment["MoeGrains__Silo__ConnectionString"],
            };
            await using var connection = await MoeClusterConnection.ConnectAsync(new ConfigurationBuilder().AddInMemoryCollection(clientSettings).Build(), "the compose cluster");
            await ClusterWork.WaitForExpertPlacementAsync(connection.Cluster, silos, Timeout);
            var (status, experts) = await ClusterWork.TrainTwoStepsAsync(connection.Client);

            Assert.True(status.State == TrainingState.Completed, $"training ended {status.State}: {status.Error}");
            Assert.Equal(2, status.Losses.Count);
            var expertSilos = silos.Silos.Skip(1).ToList();
            Assert.All(experts, e => Assert.Contains(expertSilos, s => e.Silo.StartsWith(s.AddressPrefix, StringComparison.Ordinal)));
            Assert.All(expertSilos, s => Assert.Contains(experts, e => e.Silo.StartsWith(s.AddressPrefix, StringComparison.Ordinal)));
            output.WriteLine($"{services.Count} silos ready after {ready.TotalSeconds:F1} s; trained and scored after {clock.Elapsed.TotalSeconds:F1} s; " +
                $"experts per silo: {string.Join(", ", expertSilos.Select(s => experts.Count(e => e.Silo.StartsWith(s.AddressPrefix, StringComparison.Ordinal))))}");
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\n{silos.Output()}", e);
        }
    }

    /// <summary>Compose's settings with Azurite's host name pointed at this test's Azurite and ports left to the cluster starter.</summary>
    private Dictionary<string, string> Rewrite(Dictionary<string, string> environment, int healthPort)
    {
        var rewritten = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in environment)
        {
            rewritten[key] = value
                .Replace("http://azurite:10000", $"http://127.0.0.1:{azurite.BlobPort}", StringComparison.Ordinal)
                .Replace("http://azurite:10001", $"http://127.0.0.1:{azurite.QueuePort}", StringComparison.Ordinal)
                .Replace("http://azurite:10002", $"http://127.0.0.1:{azurite.TablePort}", StringComparison.Ordinal);
            Assert.DoesNotContain("azurite:", rewritten[key], StringComparison.Ordinal);
        }
        rewritten.Remove("MoeGrains__Silo__SiloPort");
        if (rewritten.GetValueOrDefault("MoeGrains__Silo__GatewayPort") != "0") rewritten.Remove("MoeGrains__Silo__GatewayPort");
        rewritten["MoeGrains__Health__Port"] = $"{healthPort}";
        return rewritten;
    }

    private static async Task WaitForReadyAsync(int port, string service, SiloProcessCluster silos)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < Timeout)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz/ready"));
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    using var live = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz/live"));
                    Assert.Equal(HttpStatusCode.OK, live.StatusCode);
                    return;
                }
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            if (silos.Silos.Any(s => s.HasExited)) throw new InvalidOperationException($"A silo exited.\n{silos.Output()}");
            await Task.Delay(250);
        }
        throw new TimeoutException($"{service}: /healthz/ready did not answer 200 within {Timeout.TotalSeconds} s (last: {last}).\n{silos.Output()}");
    }
}
