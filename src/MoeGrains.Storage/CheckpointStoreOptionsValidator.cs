using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace MoeGrains.Storage;

/// <summary>Checks <see cref="CheckpointStoreOptions"/>; every failure names the setting (with its configuration section).</summary>
/// <param name="section">The configuration section the options come from, for messages. Default <see cref="CheckpointStoreOptions.SectionName"/>.</param>
public sealed partial class CheckpointStoreOptionsValidator(string section = CheckpointStoreOptions.SectionName) : IValidateOptions<CheckpointStoreOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CheckpointStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Failures(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem, or returns.</summary>
    /// <param name="options">The options to check.</param>
    public void ThrowIfInvalid(CheckpointStoreOptions options)
    {
        var result = Validate(Options.DefaultName, options);
        if (result.Failed) throw new OptionsValidationException(Options.DefaultName, typeof(CheckpointStoreOptions), result.Failures);
    }

    private IEnumerable<string> Failures(CheckpointStoreOptions o)
    {
        if (!Enum.IsDefined(o.Kind))
            yield return $"{section}:Kind is '{o.Kind}'; expected Local or AzureBlob.";
        if (o.Kind == CheckpointStoreKind.Local && string.IsNullOrWhiteSpace(o.LocalRoot))
            yield return $"{section}:LocalRoot is empty; the Local store needs a folder.";
        if (o.Kind == CheckpointStoreKind.AzureBlob)
        {
            var sources = (string.IsNullOrWhiteSpace(o.ConnectionString) ? 0 : 1) + (o.AccountUrl is null ? 0 : 1) + (o.ContainerUri is null ? 0 : 1);
            if (sources != 1)
                yield return $"{section}:ConnectionString, {section}:AccountUrl and {section}:ContainerUri: the AzureBlob store needs exactly one of them ({sources} set).";
            if (o.AccountUrl is { IsAbsoluteUri: false } || o.AccountUrl is { Scheme: not ("https" or "http") })
                yield return $"{section}:AccountUrl '{o.AccountUrl}' is not an absolute http(s) URL.";
            if (o.ContainerUri is { IsAbsoluteUri: false } || o.ContainerUri is { Scheme: not ("https" or "http") })
                yield return $"{section}:ContainerUri '{o.ContainerUri}' is not an absolute http(s) URL.";
            if (o.ContainerUri is null && !ContainerNamePattern().IsMatch(o.ContainerName ?? string.Empty))
                yield return $"{section}:ContainerName '{o.ContainerName}' is not a valid container name (3-63 lower-case letters, digits and single hyphens).";
        }
        if (o.WriterLeaseDuration < TimeSpan.FromSeconds(15) || o.WriterLeaseDuration > TimeSpan.FromSeconds(60))
            yield return $"{section}:WriterLeaseDuration is {o.WriterLeaseDuration}; Azure leases last 15 to 60 seconds.";
        if (o.Retry is null)
        {
            yield return $"{section}:Retry is missing.";
        }
        else
        {
            if (o.Retry.MaxRetries is < 0 or > 20) yield return $"{section}:Retry:MaxRetries is {o.Retry.MaxRetries}; expected 0 to 20.";
            if (o.Retry.Delay < TimeSpan.Zero) yield return $"{section}:Retry:Delay is negative.";
            if (o.Retry.MaxDelay < o.Retry.Delay) yield return $"{section}:Retry:MaxDelay ({o.Retry.MaxDelay}) is shorter than {section}:Retry:Delay ({o.Retry.Delay}).";
            if (o.Retry.NetworkTimeout <= TimeSpan.Zero) yield return $"{section}:Retry:NetworkTimeout must be positive.";
        }
        if (o.Transfer is null)
        {
            yield return $"{section}:Transfer is missing.";
        }
        else
        {
            if (o.Transfer.BlockSizeBytes is < 64 << 10 or > 256 << 20)
                yield return $"{section}:Transfer:BlockSizeBytes is {o.Transfer.BlockSizeBytes}; expected 64 KiB to 256 MiB.";
            if (o.Transfer.MaxConcurrency is < 1 or > 64)
                yield return $"{section}:Transfer:MaxConcurrency is {o.Transfer.MaxConcurrency}; expected 1 to 64.";
        }
    }

    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerNamePattern();
}
