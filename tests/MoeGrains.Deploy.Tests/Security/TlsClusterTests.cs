using MoeGrains.Abstractions.Training;
using MoeGrains.Client.Connection;
using MoeGrains.Deploy.Tests.Processes;
using Xunit.Abstractions;

namespace MoeGrains.Deploy.Tests.Security;

/// <summary>Mutual TLS between silos and between client and gateway, with a certificate the test makes.</summary>
[Collection(SecuredClusterCollection.Name)]
public sealed class TlsClusterTests(SecuredClusterFixture cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task A_cluster_over_tls_trains_and_scores()
    {
        var (status, experts) = await ClusterWork.TrainAndScoreAsync(cluster.Connection.Client);
        Assert.True(status.State == TrainingState.Completed, $"training ended {status.State}: {status.Error}\n{cluster.Silos.Output()}");
        Assert.Equal(2, status.Losses.Count);
        // Every expert lives on the expert silo, so each step crossed the TLS silo-to-silo connection.
        Assert.All(experts, e => Assert.StartsWith(cluster.Silos.Silos[1].AddressPrefix, e.Silo));
        output.WriteLine($"losses over TLS: {string.Join(", ", status.Losses)}");
    }

    [Fact]
    public async Task A_client_with_a_certificate_the_cluster_does_not_trust_is_refused()
    {
        var stranger = cluster.Certificates.Create("stranger");
        var refused = await Assert.ThrowsAsync<ClusterConnectionException>(() => cluster.ConnectAsync(new Dictionary<string, string?>
        {
            ["MoeGrains:Tls:Enabled"] = "true",
            ["MoeGrains:Tls:CertificatePath"] = stranger.Pfx,
            ["MoeGrains:Tls:CertificatePassword"] = TestCertificates.Password,
            // The stranger trusts the cluster, so only the cluster's check of the stranger's certificate can refuse it.
            ["MoeGrains:Tls:TrustedCertificatePath"] = cluster.Cluster.Crt,
        }));
        output.WriteLine(refused.Message);

        // What the gateway itself decides: the stranger's TLS session is ended, the cluster certificate's is kept.
        var gateway = cluster.Silos.Silos[0].GatewayPort;
        var strangerRefusal = await TlsProbe.RefusalAsync(gateway, stranger.Pfx);
        Assert.NotNull(strangerRefusal);
        Assert.Null(await TlsProbe.RefusalAsync(gateway, cluster.Cluster.Pfx));
        output.WriteLine($"raw handshake with the stranger's certificate: {strangerRefusal}");
    }

    [Fact]
    public async Task A_client_without_tls_is_refused()
    {
        var refused = await Assert.ThrowsAsync<ClusterConnectionException>(() => cluster.ConnectAsync(new Dictionary<string, string?>()));
        output.WriteLine(refused.Message);
        var noCertificate = await TlsProbe.RefusalAsync(cluster.Silos.Silos[0].GatewayPort, clientPfx: null);
        Assert.NotNull(noCertificate);
        output.WriteLine($"raw handshake without a client certificate: {noCertificate}");
    }

    [Fact]
    public void Enabled_tls_without_a_certificate_names_the_missing_key()
    {
        var failure = new MoeGrains.Security.MoeGrainsTlsOptionsValidator().Validate(null, new MoeGrains.Security.MoeGrainsTlsOptions { Enabled = true, TrustedCertificatePath = "/nonexistent/ca.crt" });
        Assert.True(failure.Failed);
        Assert.Contains(failure.Failures, f => f.Contains("MoeGrains:Tls:CertificatePath", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("MoeGrains:Tls:TrustedCertificatePath='/nonexistent/ca.crt' does not exist", StringComparison.Ordinal));
    }
}
