using Microsoft.Extensions.Configuration;
using MoeGrains.Client.Connection;
using MoeGrains.Deploy.Tests.Processes;
using MoeGrains.Testing;

namespace MoeGrains.Deploy.Tests.Security;

/// <summary>
/// Two silo processes (a gateway/router silo and an expert silo joined through localhost clustering) with mutual TLS on every
/// connection, a certificate made by the test, and small request limits; this process connected as a client with that
/// certificate, and the tiny model created.
/// </summary>
public sealed class SecuredClusterFixture : IAsyncLifetime
{
    public static readonly IReadOnlyDictionary<string, string> Limits = new Dictionary<string, string>
    {
        ["MoeGrains__Limits__MaxTextsPerScore"] = "4",
        ["MoeGrains__Limits__MaxPromptCharacters"] = "200",
        ["MoeGrains__Limits__MaxGeneratedTokens"] = "16",
        ["MoeGrains__Limits__MaxTokensPerRequest"] = "300",
        ["MoeGrains__Limits__MaxBatchSize"] = "8",
    };

    private readonly TestCertificates certificates = new();
    private readonly string checkpoints = Directory.CreateTempSubdirectory("moe-tls-ckpt-").FullName;
    private SiloProcessCluster? silos;

    public (string Pfx, string Crt) Cluster { get; private set; }

    public SiloProcessCluster Silos => silos!;

    public MoeClusterConnection Connection { get; private set; } = null!;

    public TestCertificates Certificates => certificates;

    public async Task InitializeAsync()
    {
        Cluster = certificates.Create("moegrains-cluster");
        var ports = FreePorts.Take(3);
        var shared = new Dictionary<string, string>(Limits)
        {
            ["MoeGrains__Tls__Enabled"] = "true",
            ["MoeGrains__Tls__CertificatePath"] = Cluster.Pfx,
            ["MoeGrains__Tls__CertificatePassword"] = TestCertificates.Password,
            ["MoeGrains__Checkpoints__Kind"] = "Local",
            ["MoeGrains__Checkpoints__LocalRoot"] = checkpoints,
        };
        silos = await SiloProcessCluster.StartAsync(shared,
            new Dictionary<string, string>
            {
                ["MoeGrains__Silo__SiloPort"] = $"{ports[0]}",
                ["MoeGrains__Silo__GatewayPort"] = $"{ports[1]}",
                ["MoeGrains__Accelerator__ExpertSlots"] = "0",
            },
            new Dictionary<string, string>
            {
                ["MoeGrains__Silo__SiloPort"] = $"{ports[2]}",
                ["MoeGrains__Silo__GatewayPort"] = "0",
                ["MoeGrains__Silo__PrimarySiloEndpoint"] = $"127.0.0.1:{ports[0]}",
            });
        Connection = await ConnectAsync(new Dictionary<string, string?>
        {
            ["MoeGrains:Tls:Enabled"] = "true",
            ["MoeGrains:Tls:CertificatePath"] = Cluster.Pfx,
            ["MoeGrains:Tls:CertificatePassword"] = TestCertificates.Password,
        });
        await ClusterWork.WaitForExpertPlacementAsync(Connection.Cluster, silos, TimeSpan.FromSeconds(90));
        await ClusterWork.PrepareModelAsync(Connection.Client);
    }

    /// <summary>Connects a client to the gateway with <paramref name="settings"/> added (TLS settings), failing after 15 s.</summary>
    public Task<MoeClusterConnection> ConnectAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>(settings)
        {
            ["MoeGrains:Client:Gateways"] = $"127.0.0.1:{silos!.Silos[0].GatewayPort}",
            ["MoeGrains:Client:ConnectTimeout"] = "00:00:15",
        };
        return MoeClusterConnection.ConnectAsync(new ConfigurationBuilder().AddInMemoryCollection(all).Build(), "the TLS cluster");
    }

    public async Task DisposeAsync()
    {
        if (Connection is not null) await Connection.DisposeAsync();
        if (silos is not null) await silos.DisposeAsync();
        certificates.Dispose();
        Directory.Delete(checkpoints, recursive: true);
    }
}
