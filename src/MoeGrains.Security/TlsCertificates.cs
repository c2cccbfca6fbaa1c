using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MoeGrains.Security;

/// <summary>Loads the local certificate and checks remote certificates against the cluster's trust anchor.</summary>
public static class TlsCertificates
{
    /// <summary>The local certificate with its private key, from the file or store <paramref name="options"/> name.</summary>
    /// <exception cref="InvalidOperationException">The certificate has no private key or is not in the store (the message names the key).</exception>
    public static X509Certificate2 LoadLocal(MoeGrainsTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var certificate = options.CertificatePath is { Length: > 0 } path ? LoadFile(path, options) : LoadFromStore(options);
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"{MoeGrainsTlsOptions.SectionName}: the certificate '{certificate.Subject}' has no private key; a TLS endpoint needs one.");
        return certificate;
    }

    /// <summary>The trust anchor: <see cref="MoeGrainsTlsOptions.TrustedCertificatePath"/>, or the local certificate.</summary>
    public static X509Certificate2 LoadTrustAnchor(MoeGrainsTlsOptions options, X509Certificate2 local) =>
        options.TrustedCertificatePath is { Length: > 0 } path ? LoadPublic(path) : local;

    /// <summary>
    /// True when <paramref name="remote"/> chains to <paramref name="anchor"/> (custom root trust, no revocation check: a private
    /// cluster CA publishes no revocation list). Name mismatches are ignored on purpose (see <see cref="MoeGrainsTlsOptions"/>).
    /// </summary>
    public static bool ChainsTo(X509Certificate2 remote, X509Certificate2 anchor)
    {
        ArgumentNullException.ThrowIfNull(remote);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(anchor);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        return chain.Build(remote);
    }

    /// <summary>The validator Orleans calls for each remote certificate: the chain must end at <paramref name="anchor"/>.</summary>
    public static Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool> Validator(X509Certificate2 anchor) =>
        (remote, _, _) => ChainsTo(remote, anchor);

    private static X509Certificate2 LoadFile(string path, MoeGrainsTlsOptions options)
    {
        if (options.KeyPath is { Length: > 0 } key)
        {
            return string.IsNullOrEmpty(options.CertificatePassword)
                ? X509Certificate2.CreateFromPemFile(path, key)
                : X509Certificate2.CreateFromEncryptedPemFile(path, options.CertificatePassword, key);
        }
        return X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
    }

    private static X509Certificate2 LoadFromStore(MoeGrainsTlsOptions options)
    {
        using var store = new X509Store(options.StoreName, options.StoreLocation);
        store.Open(OpenFlags.ReadOnly);
        var found = store.Certificates.Find(X509FindType.FindBySubjectName, options.CertificateSubject!, validOnly: false);
        return found.OrderByDescending(c => c.NotAfter).FirstOrDefault(c => c.HasPrivateKey)
            ?? throw new InvalidOperationException(
                $"{MoeGrainsTlsOptions.SectionName}:CertificateSubject='{options.CertificateSubject}': no certificate with a private key in {options.StoreLocation}/{options.StoreName}.");
    }

    private static X509Certificate2 LoadPublic(string path)
    {
        var text = File.ReadAllText(path);
        return text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
            ? X509Certificate2.CreateFromPem(text)
            : X509CertificateLoader.LoadCertificateFromFile(path);
    }
}
