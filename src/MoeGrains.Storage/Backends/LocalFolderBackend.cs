namespace MoeGrains.Storage.Backends;

/// <summary>
/// The layout under a root folder. Blobs are written to a temporary file beside the target and renamed into place, so readers see
/// the old file or the whole new one; <see cref="TryCreateAsync"/> renames without replacing (a hard link on Unix), so it fails
/// atomically if the target appeared in the meantime.
/// </summary>
internal sealed class LocalFolderBackend(string root) : IStorageBackend
{
    private const int BufferSize = 1 << 20;

    public string Root { get; } = Path.GetFullPath(root);

    public string Description => $"local folder '{Root}'";

    public async Task UploadAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        var target = FullPath(path);
        var temp = await WriteTempAsync(target, async file => await content.CopyToAsync(file, BufferSize, cancellationToken).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
        try
        {
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public async Task<bool> TryCreateAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var target = FullPath(path);
        if (File.Exists(target)) return false;
        var temp = await WriteTempAsync(target, file => file.WriteAsync(content, cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);
        try
        {
            File.Move(temp, target, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            return false;
        }
        finally
        {
            TryDelete(temp);
        }
    }

    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) => Task.FromResult(File.Exists(FullPath(path)));

    public Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            Stream stream = new FileStream(FullPath(path), new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read | FileShare.Delete,
                BufferSize = BufferSize,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public async Task<bool> DownloadToAsync(string path, Stream destination, CancellationToken cancellationToken)
    {
        var source = await OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
        if (source is null) return false;
        await using (source.ConfigureAwait(false))
            await source.CopyToAsync(destination, BufferSize, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public Task<IReadOnlyList<string>> ListFoldersAsync(string prefix, CancellationToken cancellationToken)
    {
        var folder = FullPath(prefix);
        IReadOnlyList<string> names = Directory.Exists(folder)
            ? [.. Directory.EnumerateDirectories(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : [];
        return Task.FromResult(names);
    }

    public Task<IReadOnlyList<string>> ListFilesAsync(string prefix, CancellationToken cancellationToken)
    {
        var folder = FullPath(prefix);
        IReadOnlyList<string> names = Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>().Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal)]
            : [];
        return Task.FromResult(names);
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        File.Delete(FullPath(path));
        return Task.CompletedTask;
    }

    public Task<IWriterClaim?> TryClaimAsync(string path, CancellationToken cancellationToken) =>
        Task.FromResult(LocalWriterClaim.TryAcquire(FullPath(path)));

    /// <summary>The file-system path of a layout path.</summary>
    public string FullPath(string path) => Path.Combine(Root, path.Replace('/', Path.DirectorySeparatorChar));

    private static async Task<string> WriteTempAsync(string target, Func<FileStream, Task> write, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                await write(file).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }
            return temp;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
