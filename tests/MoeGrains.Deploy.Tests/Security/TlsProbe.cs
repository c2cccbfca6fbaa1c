using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace MoeGrains.Deploy.Tests.Security;

/// <summary>
/// A raw TLS handshake with a gateway, presenting a client certificate (or none), to see what the server itself decides: a
/// refused certificate ends in an alert or a closed connection; an accepted one leaves the session open.
/// </summary>
internal static class TlsProbe
{
    /// <summary>Null when the server accepted the session (still open after a short wait), else why it ended.</summary>
    public static async Task<string?> RefusalAsync(int port, string? clientPfx)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        var certificates = new X509CertificateCollection();
        if (clientPfx is not null)
            certificates.Add(X509CertificateLoader.LoadPkcs12FromFile(clientPfx, TestCertificates.Password, X509KeyStorageFlags.EphemeralKeySet));
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "moegrains-cluster",
                ClientCertificates = certificates,
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            });
            // TLS 1.3 reports a refused client certificate after the handshake: read until the server speaks or closes.
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var read = await tls.ReadAsync(new byte[1], wait.Token);
            return read == 0 ? "the server closed the connection" : null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }
}
