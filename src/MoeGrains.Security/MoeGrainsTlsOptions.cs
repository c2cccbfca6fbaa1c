using System.Security.Cryptography.X509Certificates;

namespace MoeGrains.Security;

/// <summary>
/// Mutual TLS on every Orleans connection (silo↔silo and client↔gateway). Bound from <c>MoeGrains:Tls</c>; off unless
/// <see cref="Enabled"/>. Each side presents its certificate and accepts the other side only if that certificate chains to
/// <see cref="TrustedCertificatePath"/> (or, unset, is signed by / equal to the local certificate: one cluster certificate).
/// </summary>
/// <remarks>
/// Host names are not checked: silos reach each other by pod IP, so identity is "holds a certificate the cluster's CA issued",
/// not a DNS name. Give the certificate from a file (PKCS#12 with <see cref="CertificatePassword"/>, or PEM with
/// <see cref="KeyPath"/> — a Kubernetes TLS secret's <c>tls.crt</c>/<c>tls.key</c>) or from a certificate store by subject.
/// Keep passwords in secrets (environment variables <c>MoeGrains__Tls__CertificatePassword</c>), never in files in the repository.
/// </remarks>
public sealed class MoeGrainsTlsOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "MoeGrains:Tls";

    /// <summary>Turns TLS on for every silo and gateway connection (default off).</summary>
    public bool Enabled { get; set; }

    /// <summary>The local certificate with its private key: a PKCS#12 file (<c>.pfx</c>/<c>.p12</c>), or a PEM certificate with <see cref="KeyPath"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PKCS#12 password (or the PEM key's password); from a secret.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The PEM private key that goes with a PEM <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Instead of a file: the subject name of a certificate in <see cref="StoreName"/>/<see cref="StoreLocation"/>.</summary>
    public string? CertificateSubject { get; set; }

    /// <summary>The store searched for <see cref="CertificateSubject"/> (default <c>My</c>).</summary>
    public StoreName StoreName { get; set; } = StoreName.My;

    /// <summary>The store location searched for <see cref="CertificateSubject"/> (default <c>CurrentUser</c>).</summary>
    public StoreLocation StoreLocation { get; set; } = StoreLocation.CurrentUser;

    /// <summary>
    /// The certificate (PEM or DER) remote certificates must chain to: the cluster's CA. Unset: the local certificate itself is the
    /// trust anchor (every silo and client shares one self-signed certificate, or certificates it signed).
    /// </summary>
    public string? TrustedCertificatePath { get; set; }

    /// <summary>How long a TLS handshake may take (default 10 s).</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
