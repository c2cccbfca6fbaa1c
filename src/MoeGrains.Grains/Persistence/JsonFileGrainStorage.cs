using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace MoeGrains.Grains.Persistence;

/// <summary>
/// Grain state as one JSON file per grain and state name, under <c>{folder}/{stateName}/{grainId}.json</c>, written
/// through the silo's <see cref="IGrainStorageSerializer"/> (JSON by default) and replaced atomically. The ETag is the
/// file's last write time; a write whose ETag is stale throws <see cref="InconsistentStateException"/>.
/// Meant for one silo on one machine (the embedded default), not for a cluster sharing a folder.
/// </summary>
public sealed class JsonFileGrainStorage(string folder, IGrainStorageSerializer serializer, ILogger<JsonFileGrainStorage> logger)
    : IGrainStorage
{
    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        if (!File.Exists(path))
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        var bytes = await File.ReadAllBytesAsync(path);
        grainState.State = serializer.Deserialize<T>(new BinaryData(bytes));
        grainState.ETag = ETagOf(path);
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        CheckETag(path, grainState.ETag);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, serializer.Serialize(grainState.State).ToArray());
        File.Move(temporary, path, overwrite: true);
        grainState.ETag = ETagOf(path);
        grainState.RecordExists = true;
        logger.LogDebug("Wrote {StateName} of {Grain} to {Path}", stateName, grainId, path);
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        CheckETag(path, grainState.ETag);
        File.Delete(path);
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private string PathOf(string stateName, GrainId grainId) =>
        Path.Combine(folder, Sanitize(stateName), Sanitize(grainId.ToString()) + ".json");

    private static string Sanitize(string name)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return string.Concat(name.Select(c => invalid.Contains(c) || c == '%' ? $"%{(int)c:X2}" : c.ToString()));
    }

    private static string? ETagOf(string path) =>
        File.Exists(path) ? File.GetLastWriteTimeUtc(path).Ticks.ToString(CultureInfo.InvariantCulture) : null;

    private static void CheckETag(string path, string? expected)
    {
        var stored = ETagOf(path);
        if (stored != expected)
            throw new InconsistentStateException($"The state file {path} changed since it was read.", stored, expected);
    }
}
