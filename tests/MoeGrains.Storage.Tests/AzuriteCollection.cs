using MoeGrains.Testing;

namespace MoeGrains.Storage.Tests;

/// <summary>One Azurite for every test class in the collection (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
