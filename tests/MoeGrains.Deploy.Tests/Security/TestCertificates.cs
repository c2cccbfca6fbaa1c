using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MoeGrains.Deploy.Tests.Security;

/// <summary>Self-signed certificates made in code, written to a temporary folder as the files the silo host and client load.</summary>
public sealed class TestCertificates : IDisposable
{
    public const string Password = "test-only-password";

    private readonly string folder = Directory.CreateTempSubdirectory("moe-tls-").FullName;

    /// <summary>Makes a self-signed RSA certificate for server and client authentication, writes <c>name.pfx</c> (with <see cref="Password"/>) and <c>name.crt</c> (PEM, public part).</summary>
    public (string Pfx, string Crt) Create(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var pfx = Path.Combine(folder, $"{name}.pfx");
        var crt = Path.Combine(folder, $"{name}.crt");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, Password));
        File.WriteAllText(crt, certificate.ExportCertificatePem());
        return (pfx, crt);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
