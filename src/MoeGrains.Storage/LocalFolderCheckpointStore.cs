using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MoeGrains.Storage.Backends;

namespace MoeGrains.Storage;

/// <summary>
/// The checkpoint store in a folder on this machine (the embedded default), in the same layout as Azure. Each file is written to
/// a temporary name and renamed into place; the manifest is linked into place only if none exists; a writer's claim is an OS
/// lock on <c>.writer</c> in the version folder, so several processes on one machine may share the folder.
/// </summary>
public sealed class LocalFolderCheckpointStore : CheckpointStore
{
    /// <summary>Creates the store; the folder is created on first write.</summary>
    /// <param name="root">The root folder.</param>
    /// <param name="logger">Logger; none by default.</param>
    public LocalFolderCheckpointStore(string root, ILogger<LocalFolderCheckpointStore>? logger = null)
        : base(new LocalFolderBackend(ValidRoot(root)), logger ?? NullLogger<LocalFolderCheckpointStore>.Instance)
    {
        Root = ((LocalFolderBackend)Backend).Root;
    }

    /// <summary>The absolute root folder.</summary>
    public string Root { get; }

    private static string ValidRoot(string root)
    {
        if (string.IsNullOrWhiteSpace(root)) throw new ArgumentException("The local checkpoint store needs a root folder.", nameof(root));
        return root;
    }
}
