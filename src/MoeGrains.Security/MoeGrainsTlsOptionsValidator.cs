using Microsoft.Extensions.Options;

namespace MoeGrains.Security;

/// <summary>Checks that enabled TLS has exactly one certificate source and that its files exist; every message names the key.</summary>
public sealed class MoeGrainsTlsOptionsValidator : IValidateOptions<MoeGrainsTlsOptions>
{
    private const string Section = MoeGrainsTlsOptions.SectionName;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MoeGrainsTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled) return ValidateOptionsResult.Success;
        var failures = new List<string>();
        var fromFile = !string.IsNullOrWhiteSpace(options.CertificatePath);
        var fromStore = !string.IsNullOrWhiteSpace(options.CertificateSubject);
        if (fromFile == fromStore)
            failures.Add($"{Section}:Enabled=true needs exactly one of {Section}:CertificatePath (a .pfx, or PEM with {Section}:KeyPath) and {Section}:CertificateSubject (a certificate store entry).");
        RequireFile(options.CertificatePath, "CertificatePath", failures);
        RequireFile(options.KeyPath, "KeyPath", failures);
        RequireFile(options.TrustedCertificatePath, "TrustedCertificatePath", failures);
        if (!string.IsNullOrWhiteSpace(options.KeyPath) && !fromFile)
            failures.Add($"{Section}:KeyPath is set but {Section}:CertificatePath (the PEM certificate it belongs to) is not.");
        if (options.HandshakeTimeout <= TimeSpan.Zero)
            failures.Add($"{Section}:HandshakeTimeout={options.HandshakeTimeout} must be positive.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem, or returns.</summary>
    public void ThrowIfInvalid(MoeGrainsTlsOptions options)
    {
        var result = Validate(Options.DefaultName, options);
        if (result.Failed) throw new OptionsValidationException(Section, typeof(MoeGrainsTlsOptions), result.Failures);
    }

    private static void RequireFile(string? path, string key, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(path) && !File.Exists(path))
            failures.Add($"{Section}:{key}='{path}' does not exist.");
    }
}
