using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MoeGrains.Grains.Hosting;
using MoeGrains.Grains.Persistence;
using MoeGrains.Silo.Hosting;
using MoeGrains.Storage;
using Orleans.Clustering.AzureStorage;
using Orleans.Configuration;

namespace MoeGrains.Deploy.Tests.Hosting;

/// <summary>
/// Azure AD instead of keys: an account URL in configuration selects <c>DefaultAzureCredential</c> clients for membership,
/// grain state and checkpoints. Checked on the silo host's own registrations, without Azure (no token is requested until a call).
/// </summary>
public sealed class AzureCredentialSelectionTests
{
    private static readonly Uri Tables = new("https://moeaccount.table.core.windows.net/");
    private static readonly Uri Blobs = new("https://moeaccount.blob.core.windows.net/");

    [Fact]
    public void Account_urls_configure_membership_grain_state_and_checkpoints_without_connection_strings()
    {
        using var host = BuildSilo(new Dictionary<string, string?>
        {
            ["MoeGrains:Silo:Clustering"] = "AzureStorage",
            ["MoeGrains:Silo:AccountUrl"] = Tables.ToString(),
            ["MoeGrains:Storage:Provider"] = "AzureBlob",
            ["MoeGrains:Storage:AccountUrl"] = Blobs.ToString(),
            ["MoeGrains:Checkpoints:Kind"] = "AzureBlob",
            ["MoeGrains:Checkpoints:AccountUrl"] = Blobs.ToString(),
        });

        var membership = host.Services.GetRequiredService<IOptions<AzureStorageClusteringOptions>>().Value;
        Assert.Equal(Tables, membership.TableServiceClient!.Uri);
        var grainState = host.Services.GetRequiredService<IOptionsMonitor<AzureBlobStorageOptions>>().Get(MoeGrainsStorageOptions.ProviderName);
        Assert.Equal(Blobs, grainState.BlobServiceClient!.Uri);
        var checkpoints = host.Services.GetRequiredService<IOptions<CheckpointStoreOptions>>().Value;
        Assert.Equal(Blobs, checkpoints.AccountUrl);
        Assert.Null(checkpoints.ConnectionString);
    }

    [Fact]
    public void A_connection_string_still_selects_key_based_clients()
    {
        const string azurite = "UseDevelopmentStorage=true";
        var table = AzureClients.TableService(azurite, accountUrl: null);
        Assert.Equal("devstoreaccount1", table.AccountName);
        var blob = StorageSiloBuilderExtensions.GrainStateBlobService(new MoeGrainsStorageOptions { Provider = GrainStorageKind.AzureBlob, ConnectionString = azurite });
        Assert.Equal("devstoreaccount1", blob.AccountName);
        Assert.Equal(Tables, AzureClients.TableService(null, Tables).Uri);
    }

    [Theory]
    [InlineData("AzureStorage", "UseDevelopmentStorage=true", "https://a.table.core.windows.net", "exactly one of MoeGrains:Silo:ConnectionString and MoeGrains:Silo:AccountUrl")]
    [InlineData("AzureStorage", null, null, "exactly one of MoeGrains:Silo:ConnectionString and MoeGrains:Silo:AccountUrl")]
    [InlineData("Redis", "127.0.0.1:6379", "https://a.table.core.windows.net", "MoeGrains:Silo:AccountUrl applies to Clustering=AzureStorage only")]
    public void Membership_credentials_are_exactly_one_source(string clustering, string? connectionString, string? accountUrl, string expected)
    {
        var options = new MoeGrainsSiloOptions
        {
            Clustering = Enum.Parse<ClusteringKind>(clustering),
            ConnectionString = connectionString,
            AccountUrl = accountUrl is null ? null : new Uri(accountUrl),
        };
        var result = new MoeGrainsSiloOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Grain_state_credentials_are_exactly_one_source()
    {
        var validator = new MoeGrainsStorageOptionsValidator();
        Assert.True(validator.Validate(null, new MoeGrainsStorageOptions { Provider = GrainStorageKind.AzureBlob, AccountUrl = Blobs }).Succeeded);
        var both = validator.Validate(null, new MoeGrainsStorageOptions { Provider = GrainStorageKind.AzureBlob, AccountUrl = Blobs, ConnectionString = "UseDevelopmentStorage=true" });
        Assert.Contains("exactly one of MoeGrains:Storage:ConnectionString", both.FailureMessage, StringComparison.Ordinal);
    }

    private static IHost BuildSilo(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.UseOrleans(silo => silo.UseMoeGrainsSilo(builder.Configuration));
        return builder.Build();
    }
}
