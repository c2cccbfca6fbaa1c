using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MoeGrains.Storage;

/// <summary>Creates the store <see cref="CheckpointStoreOptions.Kind"/> asks for.</summary>
public static class CheckpointStoreFactory
{
    /// <summary>Validates <paramref name="options"/> and creates the store.</summary>
    /// <param name="options">Where the checkpoints live.</param>
    /// <param name="loggerFactory">Loggers; none by default.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is wrong; the message names it.</exception>
    public static CheckpointStore Create(CheckpointStoreOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        new CheckpointStoreOptionsValidator().ThrowIfInvalid(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        return options.Kind switch
        {
            CheckpointStoreKind.AzureBlob => AzureBlobCheckpointStore.Create(options, loggerFactory.CreateLogger<AzureBlobCheckpointStore>()),
            _ => new LocalFolderCheckpointStore(options.LocalRoot, loggerFactory.CreateLogger<LocalFolderCheckpointStore>()),
        };
    }
}
