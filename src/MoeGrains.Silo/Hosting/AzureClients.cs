using Azure.Data.Tables;
using Azure.Identity;

namespace MoeGrains.Silo.Hosting;

/// <summary>Azure clients from either a connection string (Azurite, account keys) or an account URL with <c>DefaultAzureCredential</c>.</summary>
public static class AzureClients
{
    /// <summary>The table service for membership: <paramref name="accountUrl"/> with <c>DefaultAzureCredential</c> when given, else <paramref name="connectionString"/>.</summary>
    public static TableServiceClient TableService(string? connectionString, Uri? accountUrl) =>
        accountUrl is not null ? new TableServiceClient(accountUrl, new DefaultAzureCredential()) : new TableServiceClient(connectionString);
}
