using System.Security.Cryptography;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace MoeGrains.Model.Checkpoints;

/// <summary>
/// Saves and loads a model as a folder: <c>config.json</c> (the <see cref="ModelConfig"/>, tokenizer name included),
/// <c>weights.bin</c> (TorchSharp state dict) and <c>checkpoint.json</c> (format, step and the weights' SHA-256),
/// written last so a folder without it is never mistaken for a complete checkpoint.
/// </summary>
public static class ModelCheckpoint
{
    /// <summary>The file name of the model config.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>The file name of the weights.</summary>
    public const string WeightsFile = "weights.bin";

    /// <summary>The file name of the manifest, written last.</summary>
    public const string ManifestFile = "checkpoint.json";

    /// <summary>Writes <paramref name="model"/> to <paramref name="directory"/> (created if needed).</summary>
    public static void Save(string directory, MoeLanguageModel model, int step = 0)
    {
        Directory.CreateDirectory(directory);
        var manifestPath = Path.Combine(directory, ManifestFile);
        if (File.Exists(manifestPath)) File.Delete(manifestPath);
        File.WriteAllText(Path.Combine(directory, ConfigFile), model.Config.ToJson());
        var weightsPath = Path.Combine(directory, WeightsFile);
        model.save(weightsPath);
        var manifest = new CheckpointManifest(CheckpointManifest.CurrentFormat, step, Sha256(weightsPath), DateTimeOffset.UtcNow);
        File.WriteAllText(manifestPath, JsonSerializer.Serialize(manifest, ModelConfig.JsonOptions));
    }

    /// <summary>True when <paramref name="directory"/> holds a complete checkpoint.</summary>
    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, ManifestFile));

    /// <summary>Reads the manifest of the checkpoint in <paramref name="directory"/>.</summary>
    /// <exception cref="CheckpointException">The folder is not a complete checkpoint.</exception>
    public static CheckpointManifest ReadManifest(string directory)
    {
        if (!Directory.Exists(directory))
            throw new CheckpointException($"Checkpoint folder '{directory}' does not exist.");
        var manifestPath = Path.Combine(directory, ManifestFile);
        if (!File.Exists(manifestPath))
            throw new CheckpointException($"'{directory}' is not a checkpoint: it has no {ManifestFile} (an interrupted save, or the wrong folder).");
        try
        {
            return JsonSerializer.Deserialize<CheckpointManifest>(File.ReadAllText(manifestPath), ModelConfig.JsonOptions)
                   ?? throw new CheckpointException($"{manifestPath} is empty.");
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{manifestPath} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Reads the model config of a checkpoint without loading weights.</summary>
    public static ModelConfig ReadConfig(string directory)
    {
        ReadManifest(directory);
        var configPath = Path.Combine(directory, ConfigFile);
        if (!File.Exists(configPath)) throw new CheckpointException($"Checkpoint '{directory}' has no {ConfigFile}.");
        try
        {
            return ModelConfig.FromJson(File.ReadAllText(configPath));
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            throw new CheckpointException($"{configPath} is not a valid model config: {e.Message}", e);
        }
    }

    /// <summary>Loads the model in <paramref name="directory"/>, verifying the weights' hash.</summary>
    /// <exception cref="CheckpointException">The folder is missing, incomplete, or a file is corrupt (named in the message).</exception>
    public static MoeLanguageModel Load(string directory, Device? device = null)
    {
        var manifest = ReadManifest(directory);
        var config = ReadConfig(directory);
        var weightsPath = Path.Combine(directory, WeightsFile);
        if (!File.Exists(weightsPath)) throw new CheckpointException($"Checkpoint '{directory}' has no {WeightsFile}.");
        var actual = Sha256(weightsPath);
        if (!string.Equals(actual, manifest.WeightsSha256, StringComparison.OrdinalIgnoreCase))
            throw new CheckpointException($"{weightsPath} is corrupt: its SHA-256 is {actual}, the manifest says {manifest.WeightsSha256}.");

        var model = new MoeLanguageModel(config);
        try
        {
            model.load(weightsPath, strict: true);
        }
        catch (Exception e) when (e is not CheckpointException)
        {
            model.Dispose();
            throw new CheckpointException($"{weightsPath} does not match the model in {ConfigFile}: {e.Message}", e);
        }
        if (device is not null && device.type != DeviceType.CPU) model.to(device.type, device.index);
        return model;
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
