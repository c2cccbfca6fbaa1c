using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Connections.Security;

namespace MoeGrains.Security;

/// <summary>Turns on mutual TLS from <c>MoeGrains:Tls</c> for a silo or a client; does nothing while <c>Enabled</c> is false.</summary>
public static class TlsBuilderExtensions
{
    /// <summary>Mutual TLS on the silo's silo-to-silo and gateway connections: every peer and client must present a trusted certificate.</summary>
    /// <exception cref="OptionsValidationException">A setting is missing or a file does not exist (the message names the key).</exception>
    public static ISiloBuilder UseMoeGrainsTls(this ISiloBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (Read(configuration) is not { } options) return builder;
        var local = TlsCertificates.LoadLocal(options);
        var anchor = TlsCertificates.LoadTrustAnchor(options, local);
        builder.Services.AddOptions<MoeGrainsTlsOptions>().Bind(configuration.GetSection(MoeGrainsTlsOptions.SectionName));
        return builder.UseTls(local, tls => Configure(tls, options, anchor));
    }

    /// <summary>TLS on the client's gateway connections, presenting the configured certificate.</summary>
    /// <exception cref="OptionsValidationException">A setting is missing or a file does not exist (the message names the key).</exception>
    public static IClientBuilder UseMoeGrainsTls(this IClientBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (Read(configuration) is not { } options) return builder;
        var local = TlsCertificates.LoadLocal(options);
        var anchor = TlsCertificates.LoadTrustAnchor(options, local);
        return builder.UseTls(local, tls => Configure(tls, options, anchor));
    }

    private static MoeGrainsTlsOptions? Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(MoeGrainsTlsOptions.SectionName).Get<MoeGrainsTlsOptions>() ?? new MoeGrainsTlsOptions();
        if (!options.Enabled) return null;
        new MoeGrainsTlsOptionsValidator().ThrowIfInvalid(options);
        return options;
    }

    private static void Configure(TlsOptions tls, MoeGrainsTlsOptions options, System.Security.Cryptography.X509Certificates.X509Certificate2 anchor)
    {
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.HandshakeTimeout = options.HandshakeTimeout;
        var validator = TlsCertificates.Validator(anchor);
        tls.RemoteCertificateValidation = (remote, chain, errors) => validator(remote, chain, errors);
    }
}
