namespace MoeGrains.Deploy.Tests.Security;

/// <summary>The TLS and request-limit tests share one secured cluster (starting silo processes is the slow part).</summary>
[CollectionDefinition(Name)]
public sealed class SecuredClusterCollection : ICollectionFixture<SecuredClusterFixture>
{
    public const string Name = "secured cluster";
}
