using System.Security.Cryptography;
using System.Text.Json;
using MoeGrains.Model.Checkpoints;

namespace MoeGrains.Model.Domains;

/// <summary>
/// A mixture of domain experts on disk: <c>shared/</c> (the phase-1 model, a <see cref="ModelCheckpoint"/>),
/// <c>experts/{domain}/</c> (<c>weights.bin</c>, then <c>expert.json</c>) for every expert ever trained — retired ones stay —
/// and <c>mixture.json</c>, the current <see cref="MixtureManifest"/> (each version also kept as <c>versions/{n}.json</c>).
/// </summary>
public static class DomainMixtureFolder
{
    /// <summary>The shared checkpoint's sub-folder.</summary>
    public const string SharedFolder = "shared";

    /// <summary>The current manifest's file name.</summary>
    public const string ManifestFile = "mixture.json";

    private const string ExpertManifestFile = "expert.json";
    private const string WeightsFile = "weights.bin";

    /// <summary>True when <paramref name="directory"/> holds a committed mixture.</summary>
    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, ManifestFile));

    /// <summary>Saves the phase-1 model as the shared checkpoint and returns its weights' SHA-256.</summary>
    public static string SaveShared(string directory, MoeLanguageModel shared, int step)
    {
        ModelCheckpoint.Save(Path.Combine(directory, SharedFolder), shared, step);
        return ModelCheckpoint.ReadManifest(Path.Combine(directory, SharedFolder)).WeightsSha256;
    }

    /// <summary>Loads the shared (phase-1) model.</summary>
    public static MoeLanguageModel LoadShared(string directory) => ModelCheckpoint.Load(Path.Combine(directory, SharedFolder));

    /// <summary>The shared checkpoint's weights hash.</summary>
    public static string SharedWeightsSha256(string directory) => ModelCheckpoint.ReadManifest(Path.Combine(directory, SharedFolder)).WeightsSha256;

    /// <summary>Writes an expert's stored weights (FFNs only, or all for BTM), then its manifest.</summary>
    public static void SaveExpert(string directory, DomainExpert expert, BranchMode mode, string sharedWeightsSha256, string? parent = null)
    {
        ArgumentNullException.ThrowIfNull(expert);
        var folder = ExpertFolder(directory, expert.Domain);
        Directory.CreateDirectory(folder);
        var manifestPath = Path.Combine(folder, ExpertManifestFile);
        if (File.Exists(manifestPath)) File.Delete(manifestPath);
        var weights = ExpertWeightsFile.Write(DomainExpertWeights.StoredState(expert.Model, mode));
        File.WriteAllBytes(Path.Combine(folder, WeightsFile), weights);
        var manifest = new DomainExpertManifest(DomainExpertManifest.CurrentFormat, expert.Domain, mode, expert.Step,
            sharedWeightsSha256, Convert.ToHexStringLower(SHA256.HashData(weights)), parent);
        File.WriteAllText(manifestPath, JsonSerializer.Serialize(manifest, ModelConfig.JsonOptions));
    }

    /// <summary>Reads an expert's manifest.</summary>
    /// <exception cref="CheckpointException">The expert is not stored, or its manifest is unreadable.</exception>
    public static DomainExpertManifest ReadExpertManifest(string directory, string domain)
    {
        var path = Path.Combine(ExpertFolder(directory, domain), ExpertManifestFile);
        if (!File.Exists(path)) throw new CheckpointException($"No stored expert '{domain}' in {directory} (missing {path}).");
        try
        {
            return JsonSerializer.Deserialize<DomainExpertManifest>(File.ReadAllText(path), ModelConfig.JsonOptions)
                   ?? throw new CheckpointException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Loads expert <paramref name="domain"/>: the shared layers of <paramref name="shared"/> plus its stored weights, hash-checked.</summary>
    /// <exception cref="CheckpointException">The expert is missing, corrupt, or belongs with another shared checkpoint.</exception>
    public static DomainExpert LoadExpert(string directory, string domain, MoeLanguageModel shared, string sharedWeightsSha256)
    {
        var manifest = ReadExpertManifest(directory, domain);
        if (!string.Equals(manifest.SharedWeightsSha256, sharedWeightsSha256, StringComparison.OrdinalIgnoreCase))
            throw new CheckpointException($"Expert '{domain}' was trained on shared weights {manifest.SharedWeightsSha256[..12]}…, not the shared checkpoint {sharedWeightsSha256[..12]}….");
        var path = Path.Combine(ExpertFolder(directory, domain), WeightsFile);
        if (!File.Exists(path)) throw new CheckpointException($"Expert '{domain}' has no {WeightsFile} ({path}).");
        var weights = File.ReadAllBytes(path);
        var actual = Convert.ToHexStringLower(SHA256.HashData(weights));
        if (!string.Equals(actual, manifest.WeightsSha256, StringComparison.OrdinalIgnoreCase))
            throw new CheckpointException($"{path} is corrupt: its SHA-256 is {actual}, the manifest says {manifest.WeightsSha256}.");
        return FromWeights(domain, shared, weights, manifest.Mode, manifest.Step);
    }

    /// <summary>An expert built from the shared model and its stored weights (FFNs, or everything for BTM).</summary>
    /// <exception cref="CheckpointException">The weights do not fit the shared model.</exception>
    public static DomainExpert FromWeights(string domain, MoeLanguageModel shared, byte[] weights, BranchMode mode, int step)
    {
        var model = DomainExpertWeights.Extract(shared, 0);
        try
        {
            ExpertWeightsFile.Read(weights, model, DomainExpertWeights.StoredState(model, mode).Select(entry => entry.Name));
        }
        catch (InvalidDataException e)
        {
            model.Dispose();
            throw new CheckpointException($"The weights of expert '{domain}' do not fit the shared model: {e.Message}", e);
        }
        return new DomainExpert(domain, model, step);
    }

    /// <summary>Commits <paramref name="manifest"/> as the current version (and keeps a copy per version).</summary>
    public static void Commit(string directory, MixtureManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var versions = Path.Combine(directory, "versions");
        Directory.CreateDirectory(versions);
        var json = manifest.ToJson();
        File.WriteAllText(Path.Combine(versions, $"{manifest.Version}.json"), json);
        var temporary = Path.Combine(directory, ManifestFile + ".tmp");
        File.WriteAllText(temporary, json);
        File.Move(temporary, Path.Combine(directory, ManifestFile), overwrite: true);
    }

    /// <summary>Reads the current manifest.</summary>
    /// <exception cref="CheckpointException">The folder is not a mixture of domain experts.</exception>
    public static MixtureManifest ReadManifest(string directory)
    {
        var path = Path.Combine(directory, ManifestFile);
        if (!File.Exists(path)) throw new CheckpointException($"'{directory}' is not a mixture of domain experts: it has no {ManifestFile}.");
        try
        {
            return MixtureManifest.FromJson(File.ReadAllText(path));
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Loads every active expert of the current version, in mixture order.</summary>
    public static (MixtureManifest Manifest, List<DomainExpert> Experts) LoadMixture(string directory)
    {
        var manifest = ReadManifest(directory);
        using var shared = LoadShared(directory);
        var experts = new List<DomainExpert>();
        try
        {
            foreach (var name in manifest.Experts) experts.Add(LoadExpert(directory, name, shared, manifest.SharedWeightsSha256));
        }
        catch
        {
            foreach (var expert in experts) expert.Dispose();
            throw;
        }
        return (manifest, experts);
    }

    private static string ExpertFolder(string directory, string domain)
    {
        if (domain.Length == 0 || domain.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || domain is "." or "..")
            throw new ArgumentException($"'{domain}' is not a valid expert name (it must be a plain folder name).", nameof(domain));
        return Path.Combine(directory, "experts", domain);
    }
}
