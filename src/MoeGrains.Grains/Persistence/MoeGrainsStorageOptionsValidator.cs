using Microsoft.Extensions.Options;

namespace MoeGrains.Grains.Persistence;

/// <summary>Checks that the chosen storage provider has what it needs.</summary>
public sealed class MoeGrainsStorageOptionsValidator : IValidateOptions<MoeGrainsStorageOptions>
{
    private const string Section = MoeGrainsStorageOptions.SectionName;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MoeGrainsStorageOptions options) => options.Provider switch
    {
        GrainStorageKind.Files when string.IsNullOrWhiteSpace(options.Folder) =>
            ValidateOptionsResult.Fail($"{Section}:Provider=Files needs {Section}:Folder."),
        GrainStorageKind.AzureBlob when string.IsNullOrWhiteSpace(options.ConnectionString) == (options.AccountUrl is null) =>
            ValidateOptionsResult.Fail($"{Section}:Provider=AzureBlob needs exactly one of {Section}:ConnectionString (UseDevelopmentStorage=true for Azurite) and {Section}:AccountUrl (DefaultAzureCredential)."),
        GrainStorageKind.AzureBlob when options.AccountUrl is { IsAbsoluteUri: false } || options.AccountUrl is { Scheme: not ("https" or "http") } =>
            ValidateOptionsResult.Fail($"{Section}:AccountUrl='{options.AccountUrl}' is not an absolute http(s) URL."),
        GrainStorageKind.AzureBlob when string.IsNullOrWhiteSpace(options.ContainerName) =>
            ValidateOptionsResult.Fail($"{Section}:Provider=AzureBlob needs {Section}:ContainerName."),
        _ => ValidateOptionsResult.Success,
    };
}
