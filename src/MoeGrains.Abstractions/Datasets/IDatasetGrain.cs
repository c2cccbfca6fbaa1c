namespace MoeGrains.Abstractions.Datasets;

/// <summary>
/// A named training corpus kept in the checkpoint store (<c>datasets/{name}/{domain}/{split}.txt</c>) so any silo
/// can read it. Clients upload through this grain and need no storage credentials of their own.
/// </summary>
[Alias("moe.IDatasetGrain")]
public interface IDatasetGrain : IGrainWithStringKey
{
    /// <summary>Stores one split of one domain (documents separated by one blank line).</summary>
    [Alias("Upload")]
    Task UploadAsync(string domain, string split, string text);

    /// <summary>The domains that have at least one split.</summary>
    [Alias("ListDomains")]
    Task<IReadOnlyList<string>> ListDomainsAsync();
}
