using System.Security.Cryptography;
using MoeGrains.Abstractions.Experts;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Cluster.Tests.Equivalence;
using MoeGrains.Grains.Experts;
using MoeGrains.Storage;

namespace MoeGrains.Cluster.Tests.Persistence;

/// <summary>An expert whose weights blob was damaged in the store refuses to load, naming the blob, and changes nothing stored.</summary>
public sealed class CorruptCheckpointTests(ModelClusterFixture fixture) : IClassFixture<ModelClusterFixture>
{
    private const string Model = "damaged";

    [Fact]
    public async Task A_corrupted_expert_blob_fails_the_reactivation_naming_the_blob_and_leaves_the_store_as_it_was()
    {
        await fixture.Client.CreateModelAsync(Model, new ModelSpec("tiny", "switch", Seed: 4));
        var status = await (await fixture.Client.TrainAsync(Model, new TrainingRequest("sample", 4, 2, 1e-2, 4, CheckpointEvery: 2))).WaitAsync();
        Assert.Equal(TrainingState.Completed, status.State);
        var store = new LocalFolderCheckpointStore(fixture.StoreRoot);
        var latest = (await store.LatestVersionAsync(Model))!.Value;
        Assert.Equal(3, latest);

        var blob = CheckpointPaths.ExpertWeights(1, 2);
        var file = Path.Combine(fixture.StoreRoot, "models", Model, $"v{latest}", blob);
        Assert.True(File.Exists(file), $"the local layout changed: {file} is missing");
        var damaged = File.ReadAllBytes(file);
        damaged[damaged.Length / 2] ^= 0xFF; // one flipped byte, same size
        File.WriteAllBytes(file, damaged);
        var before = Snapshot();

        var management = fixture.Cluster.Client.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
        var expert = fixture.Cluster.Client.GetGrain<IExpertGrain>(new ExpertId(Model, 1, 2).Key);

        var direct = await Assert.ThrowsAnyAsync<Exception>(expert.GetInfoAsync);
        Assert.Contains(blob, direct.Message);
        Assert.Contains($"'{Model}' v{latest} is corrupt", direct.Message);
        var throughRouter = await Assert.ThrowsAnyAsync<Exception>(() => fixture.Client.ListExpertsAsync(Model));
        Assert.Contains(blob, throughRouter.Message);

        Assert.Equal(before, Snapshot()); // nothing written, repaired or deleted
        Assert.Equal(latest, await store.LatestVersionAsync(Model));
        Assert.Equal([1L, 2L, 3L], await store.ListVersionsAsync(Model));
        await store.VerifyAsync(Model, latest - 1); // the previous version is intact
        var verify = await Assert.ThrowsAsync<CorruptCheckpointException>(() => store.VerifyAsync(Model, latest));
        Assert.Equal([blob], verify.Mismatches.Select(m => m.Path));
        Assert.Equal(latest, (await fixture.Client.GetModelAsync(Model)).Version);
    }

    private Dictionary<string, string> Snapshot()
    {
        var root = Path.Combine(fixture.StoreRoot, "models", Model);
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
    }
}
