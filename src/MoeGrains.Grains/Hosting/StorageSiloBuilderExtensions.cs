using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MoeGrains.Grains.Persistence;
using Orleans.Storage;

namespace MoeGrains.Grains.Hosting;

/// <summary>Registers the grain storage provider named <c>moe</c>.</summary>
public static class StorageSiloBuilderExtensions
{
    /// <summary>
    /// Adds the <c>moe</c> grain storage chosen by <c>MoeGrains:Storage:Provider</c>: <c>Memory</c> (default),
    /// <c>Files</c> (<see cref="JsonFileGrainStorage"/> under <c>MoeGrains:Storage:Folder</c>) or <c>AzureBlob</c>
    /// (<c>MoeGrains:Storage:ConnectionString</c>, <c>MoeGrains:Storage:ContainerName</c>).
    /// </summary>
    /// <exception cref="OptionsValidationException">The chosen provider lacks a setting it needs.</exception>
    public static ISiloBuilder AddMoeGrainsStorage(this ISiloBuilder builder, IConfiguration configuration)
    {
        var section = configuration.GetSection(MoeGrainsStorageOptions.SectionName);
        var options = section.Get<MoeGrainsStorageOptions>() ?? new MoeGrainsStorageOptions();
        var validation = new MoeGrainsStorageOptionsValidator().Validate(null, options);
        if (validation.Failed)
            throw new OptionsValidationException(MoeGrainsStorageOptions.SectionName, typeof(MoeGrainsStorageOptions), validation.Failures);

        builder.Services.AddOptions<MoeGrainsStorageOptions>().Bind(section);
        const string name = MoeGrainsStorageOptions.ProviderName;
        switch (options.Provider)
        {
            case GrainStorageKind.Files:
                var folder = Path.GetFullPath(options.Folder);
                builder.Services.AddKeyedSingleton<IGrainStorage>(name, (services, _) => new JsonFileGrainStorage(
                    folder,
                    services.GetRequiredService<IGrainStorageSerializer>(),
                    services.GetRequiredService<ILogger<JsonFileGrainStorage>>()));
                break;
            case GrainStorageKind.AzureBlob:
                builder.AddAzureBlobGrainStorage(name, blob =>
                {
                    blob.BlobServiceClient = GrainStateBlobService(options);
                    blob.ContainerName = options.ContainerName;
                });
                break;
            default:
                builder.AddMemoryGrainStorage(name);
                break;
        }

        return builder;
    }

    /// <summary>The blob service of <c>AzureBlob</c> grain storage: <c>AccountUrl</c> with <c>DefaultAzureCredential</c>, else the connection string.</summary>
    public static BlobServiceClient GrainStateBlobService(MoeGrainsStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AccountUrl is { } url ? new BlobServiceClient(url, new DefaultAzureCredential()) : new BlobServiceClient(options.ConnectionString);
    }
}
