namespace MoeGrains.Storage.Tests;

public enum StoreKind
{
    Local,
    Azure,
}
