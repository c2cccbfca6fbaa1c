using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MoeGrains.Storage.Hosting;
using MoeGrains.Testing;

namespace MoeGrains.Storage.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class OptionsTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("Kind=AzureBlob", "Storage:Checkpoints:ConnectionString")]
    [InlineData("Kind=AzureBlob;ConnectionString=x;AccountUrl=https://a.blob.core.windows.net", "Storage:Checkpoints:AccountUrl")]
    [InlineData("Kind=AzureBlob;ConnectionString=x;ContainerName=Bad_Name", "Storage:Checkpoints:ContainerName 'Bad_Name'")]
    [InlineData("Kind=Local;LocalRoot=", "Storage:Checkpoints:LocalRoot")]
    [InlineData("Retry:MaxRetries=-1", "Storage:Checkpoints:Retry:MaxRetries")]
    [InlineData("Transfer:BlockSizeBytes=10", "Storage:Checkpoints:Transfer:BlockSizeBytes")]
    [InlineData("WriterLeaseDuration=00:05:00", "Storage:Checkpoints:WriterLeaseDuration")]
    public void Invalid_settings_are_named_with_their_configuration_path(string settings, string named)
    {
        using var provider = Provider(settings);
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ICheckpointStore>());
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Local_is_the_default_and_binds_its_root()
    {
        var root = Path.Combine(Path.GetTempPath(), $"moegrains-options-{Guid.NewGuid():N}");
        using var provider = Provider($"LocalRoot={root}");
        var store = Assert.IsType<LocalFolderCheckpointStore>(provider.GetRequiredService<ICheckpointStore>());
        Assert.Equal(root, store.Root);
        Assert.Equal("moegrains", new CheckpointStoreOptions().ContainerName);
    }

    [Fact]
    public async Task AzureBlob_binds_connection_string_container_and_retry()
    {
        var container = $"t{Guid.NewGuid():N}";
        using var provider = Provider($"Kind=AzureBlob;ContainerName={container};Retry:MaxRetries=2;Transfer:MaxConcurrency=3", azurite.ConnectionString);
        var options = provider.GetRequiredService<IOptions<CheckpointStoreOptions>>().Value;
        Assert.Equal((2, 3), (options.Retry.MaxRetries, options.Transfer.MaxConcurrency));
        var store = Assert.IsType<AzureBlobCheckpointStore>(provider.GetRequiredService<ICheckpointStore>());
        Assert.Equal(container, store.Container.Name);
        await Payloads.CommitAsync(store, "m", 1, seed: 1);
        Assert.Equal(1, await store.LatestVersionAsync("m"));
        await store.Container.DeleteIfExistsAsync();
    }

    private static ServiceProvider Provider(string settings, string? connectionString = null)
    {
        var values = settings.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Split('=', 2))
            .ToDictionary(kv => $"Storage:Checkpoints:{kv[0]}", kv => (string?)kv[1]);
        if (connectionString is not null) values["Storage:Checkpoints:ConnectionString"] = connectionString;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddCheckpointStore(configuration.GetSection("Storage:Checkpoints"));
        return services.BuildServiceProvider();
    }
}
