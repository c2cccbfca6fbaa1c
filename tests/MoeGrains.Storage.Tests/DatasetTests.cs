using System.Text;
using MoeGrains.Testing;

namespace MoeGrains.Storage.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class DatasetTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.Azure)]
    public async Task Splits_round_trip_and_domains_list_sorted(StoreKind kind)
    {
        await using var test = TestStore.Create(kind, azurite);
        var texts = new Dictionary<(string Domain, string Split), string>
        {
            [("reddit", "train")] = "first document\n\nsecond döcument\n",
            [("reddit", "valid")] = "held out\n",
            [("arxiv", "train")] = new string('x', 300_000),
            [("github.code", "test")] = "int main() {}\n",
        };
        foreach (var ((domain, split), text) in texts)
            await test.Store.UploadDatasetAsync("seven-domains", domain, split, new MemoryStream(Encoding.UTF8.GetBytes(text)));
        await test.Store.UploadDatasetAsync("other", "news", "train", new MemoryStream("n"u8.ToArray()));

        Assert.Equal(["arxiv", "github.code", "reddit"], await test.Store.ListDatasetDomainsAsync("seven-domains"));
        Assert.Empty(await test.Store.ListDatasetDomainsAsync("nothing-here"));
        foreach (var ((domain, split), text) in texts)
        {
            await using var stream = await test.Store.OpenDatasetAsync("seven-domains", domain, split);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            Assert.Equal(text, await reader.ReadToEndAsync());
        }
        Assert.True(await test.ExistsRawAsync("datasets/seven-domains/reddit/valid.txt"));

        var missing = await Assert.ThrowsAsync<DatasetNotFoundException>(() => test.Store.OpenDatasetAsync("seven-domains", "reddit", "test"));
        Assert.Contains("datasets/seven-domains/reddit/test.txt", missing.Message, StringComparison.Ordinal);
    }
}
