using MoeGrains.Testing;

namespace MoeGrains.Storage.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class NameTests(AzuriteFixture azurite)
{
    public static TheoryData<StoreKind, string> BadNames() => new()
    {
        { StoreKind.Local, "Upper" },
        { StoreKind.Local, "../escape" },
        { StoreKind.Local, "-leading" },
        { StoreKind.Local, "has space" },
        { StoreKind.Local, new string('a', 65) },
        { StoreKind.Azure, "a/b" },
        { StoreKind.Azure, ".hidden" },
        { StoreKind.Azure, "ünïcode" },
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task Bad_model_dataset_domain_and_split_names_are_rejected_by_value(StoreKind kind, string bad)
    {
        await using var test = TestStore.Create(kind, azurite);
        var store = test.Store;
        await AssertNames(() => store.BeginCheckpointAsync(bad, 1), bad, "model");
        await AssertNames(() => store.LatestVersionAsync(bad), bad, "model");
        await AssertNames(() => store.ReadManifestAsync(bad, 1), bad, "model");
        await AssertNames(() => store.UploadDatasetAsync(bad, "web", "train", new MemoryStream()), bad, "dataset");
        await AssertNames(() => store.UploadDatasetAsync("corpus", bad, "train", new MemoryStream()), bad, "domain");
        await AssertNames(() => store.OpenDatasetAsync("corpus", "web", bad), bad, "split");
        await AssertNames(() => store.ListDatasetDomainsAsync(bad), bad, "dataset");
    }

    [Theory]
    [InlineData("weights.bin")]
    [InlineData("router/../manifest.json")]
    [InlineData("manifest.json")]
    [InlineData("experts/1/weights.bin")]
    [InlineData("experts/a-b/weights.bin")]
    [InlineData("/router/weights.bin")]
    [InlineData("router/sub/weights.bin")]
    [InlineData("domain/sub/weights.bin")]
    [InlineData("domains/weights.bin")]
    public async Task Paths_outside_the_layout_are_rejected_by_value(string path)
    {
        await using var test = TestStore.Create(StoreKind.Local, azurite);
        await using var writer = await test.Store.BeginCheckpointAsync("m", 1);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => writer.PutAsync(path, new byte[1]));
        Assert.Contains($"'{path}'", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => test.Store.ReadBlobAsync("m", 1, path));
    }

    [Fact]
    public async Task Version_zero_is_rejected()
    {
        await using var test = TestStore.Create(StoreKind.Local, azurite);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => test.Store.BeginCheckpointAsync("m", 0));
    }

    private static async Task AssertNames(Func<Task> call, string bad, string kind)
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(call);
        Assert.Contains(bad.Length > 64 ? $"{bad.Length} characters" : $"'{bad}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(kind, error.Message, StringComparison.Ordinal);
    }
}
