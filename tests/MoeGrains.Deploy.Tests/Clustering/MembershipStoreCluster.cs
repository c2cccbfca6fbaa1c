using Microsoft.Extensions.Configuration;
using MoeGrains.Abstractions.Training;
using MoeGrains.Client.Connection;
using MoeGrains.Deploy.Tests.Processes;
using MoeGrains.Testing;

namespace MoeGrains.Deploy.Tests.Clustering;

/// <summary>
/// Two silo processes — a gateway/router silo and an expert silo — that find each other only through an external membership
/// store (<c>MoeGrains:Silo:Clustering</c> = Redis or AdoNet), a client that finds the gateway through the same store, and two
/// training steps through them.
/// </summary>
internal static class MembershipStoreCluster
{
    public static async Task<SiloProcessCluster> TrainThroughAsync(string clustering, string connectionString, string clusterId, string checkpoints)
    {
        var shared = new Dictionary<string, string>
        {
            ["Orleans__ClusterId"] = clusterId,
            ["Orleans__ServiceId"] = clusterId,
            ["MoeGrains__Silo__Clustering"] = clustering,
            ["MoeGrains__Silo__ConnectionString"] = connectionString,
            ["MoeGrains__Checkpoints__Kind"] = "Local",
            ["MoeGrains__Checkpoints__LocalRoot"] = checkpoints,
        };
        var silos = await SiloProcessCluster.StartAsync(shared,
            new Dictionary<string, string> { ["MoeGrains__Accelerator__ExpertSlots"] = "0" },
            new Dictionary<string, string> { ["MoeGrains__Accelerator__ExpertSlots"] = "64", ["MoeGrains__Silo__GatewayPort"] = "0" });
        try
        {
            var client = new Dictionary<string, string?>
            {
                ["Orleans:ClusterId"] = clusterId,
                ["Orleans:ServiceId"] = clusterId,
                ["MoeGrains:Silo:Clustering"] = clustering,
                ["MoeGrains:Silo:ConnectionString"] = connectionString,
            };
            await using var connection = await ConnectWithRetryAsync(new ConfigurationBuilder().AddInMemoryCollection(client).Build(), silos);
            await ClusterWork.WaitForExpertPlacementAsync(connection.Cluster, silos, TimeSpan.FromSeconds(90));
            var (status, experts) = await ClusterWork.TrainTwoStepsAsync(connection.Client);
            Assert.True(status.State == TrainingState.Completed, $"training over {clustering} membership ended {status.State}: {status.Error}\n{silos.Output()}");
            Assert.Equal(2, status.Losses.Count);
            Assert.All(experts, e => Assert.StartsWith(silos.Silos[1].AddressPrefix, e.Silo));
            return silos;
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            var output = silos.Output();
            await silos.DisposeAsync();
            throw new InvalidOperationException($"{e.Message}\n{output}", e);
        }
        catch
        {
            await silos.DisposeAsync();
            throw;
        }
    }

    /// <summary>The gateway registers in the store a moment after it listens: retry until the client finds it.</summary>
    private static async Task<MoeClusterConnection> ConnectWithRetryAsync(IConfiguration configuration, SiloProcessCluster silos)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                return await MoeClusterConnection.ConnectAsync(configuration, "the cluster in the membership store");
            }
            catch (ClusterConnectionException) when (DateTime.UtcNow < deadline && !silos.Silos.Any(s => s.HasExited))
            {
                await Task.Delay(500);
            }
        }
    }
}
