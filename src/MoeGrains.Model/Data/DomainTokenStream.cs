namespace MoeGrains.Model.Data;

/// <summary>One domain's split as a single token stream: its documents, each followed by end-of-text.</summary>
public sealed class DomainTokenStream
{
    private readonly int[] tokens;

    /// <summary>Wraps a token stream; the array is kept, not copied, and must not be changed afterwards.</summary>
    /// <param name="domain">The domain name.</param>
    /// <param name="domainId">The domain id in its corpus.</param>
    /// <param name="tokens">The token ids.</param>
    public DomainTokenStream(string domain, int domainId, int[] tokens)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfNegative(domainId);
        Domain = domain;
        DomainId = domainId;
        this.tokens = tokens;
    }

    /// <summary>The domain name.</summary>
    public string Domain { get; }

    /// <summary>The domain id in its corpus (not necessarily the index in <see cref="TokenizedSplit.Streams"/>).</summary>
    public int DomainId { get; }

    /// <summary>The number of tokens.</summary>
    public int Length => tokens.Length;

    /// <summary>The token ids.</summary>
    public ReadOnlySpan<int> Tokens => tokens;

    /// <summary>The same tokens under another domain id (the expert a model routes them to); the array is shared, not copied.</summary>
    public DomainTokenStream WithDomainId(int domainId) => domainId == DomainId ? this : new DomainTokenStream(Domain, domainId, tokens);

    /// <summary>The array, for copying without bounds-checked spans in hot loops.</summary>
    internal int[] Array => tokens;
}
