using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Configuration;
using MoeGrains.Abstractions.Training;
using MoeGrains.Client.Connection;
using MoeGrains.Testing;
using Xunit.Abstractions;

namespace MoeGrains.Deploy.Tests.Processes;

/// <summary>
/// Runs a deployment's silos as processes on loopback with the environment the deployment file gives each (Azurite host
/// names pointed at the test's Azurite, silo/gateway/health ports replaced by free loopback ports), waits for their readiness
/// probes, connects through the membership store the gateway uses, and trains and scores through them.
/// </summary>
internal static class LoopbackDeployment
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>Starts the silos (gateway first), trains two steps and asserts the experts live only, and all, on the expert silos.</summary>
    public static async Task RunAsync(IReadOnlyList<(string Name, Dictionary<string, string> Environment)> silos, AzuriteFixture azurite, ITestOutputHelper output)
    {
        var clock = Stopwatch.StartNew();
        var ordered = silos.OrderBy(s => s.Environment.GetValueOrDefault("MoeGrains__Silo__GatewayPort") == "0" ? 1 : 0).ToList();
        Assert.NotEqual("0", ordered[0].Environment.GetValueOrDefault("MoeGrains__Silo__GatewayPort"));
        var healthPorts = FreePorts.Take(ordered.Count);
        var environments = ordered.Select((silo, i) => Rewrite(silo.Environment, azurite, healthPorts[i])).ToList();
        await using var cluster = await SiloProcessCluster.StartAsync(new Dictionary<string, string>(), [.. environments]);
        try
        {
            for (var i = 0; i < ordered.Count; i++) await WaitForReadyAsync(healthPorts[i], ordered[i].Name, cluster);
            var ready = clock.Elapsed;

            var gateway = environments[0];
            var clientSettings = new Dictionary<string, string?>
            {
                ["Orleans:ClusterId"] = gateway["Orleans__ClusterId"],
                ["Orleans:ServiceId"] = gateway["Orleans__ServiceId"],
                ["MoeGrains:Silo:Clustering"] = gateway["MoeGrains__Silo__Clustering"],
                ["MoeGrains:Silo:ConnectionString"] = gateway["MoeGrains__Silo__ConnectionString"],
            };
            await using var connection = await MoeClusterConnection.ConnectAsync(new ConfigurationBuilder().AddInMemoryCollection(clientSettings).Build(), "the deployment on loopback");
            await ClusterWork.WaitForExpertPlacementAsync(connection.Cluster, cluster, Timeout);
            var (status, experts) = await ClusterWork.TrainTwoStepsAsync(connection.Client);

            Assert.True(status.State == TrainingState.Completed, $"training ended {status.State}: {status.Error}");
            Assert.Equal(2, status.Losses.Count);
            var expertSilos = cluster.Silos.Skip(1).ToList();
            Assert.All(experts, e => Assert.Contains(expertSilos, s => e.Silo.StartsWith(s.AddressPrefix, StringComparison.Ordinal)));
            Assert.All(expertSilos, s => Assert.Contains(experts, e => e.Silo.StartsWith(s.AddressPrefix, StringComparison.Ordinal)));
            output.WriteLine($"{ordered.Count} silos ready after {ready.TotalSeconds:F1} s; trained and scored after {clock.Elapsed.TotalSeconds:F1} s; " +
                $"experts per expert silo: {string.Join(", ", expertSilos.Select(s => experts.Count(e => e.Silo.StartsWith(s.AddressPrefix, StringComparison.Ordinal))))}");
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\n{cluster.Output()}", e);
        }
    }

    private static Dictionary<string, string> Rewrite(Dictionary<string, string> environment, AzuriteFixture azurite, int healthPort)
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

    private static async Task WaitForReadyAsync(int port, string name, SiloProcessCluster silos)
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
        throw new TimeoutException($"{name}: /healthz/ready did not answer 200 within {Timeout.TotalSeconds} s (last: {last}).\n{silos.Output()}");
    }
}
