namespace MoeGrains.Model.Data;

/// <summary>One split of a corpus, tokenized: a token stream per domain that has the split.</summary>
public sealed class TokenizedSplit
{
    private readonly Dictionary<string, DomainTokenStream> streamsByDomain;

    /// <summary>Creates a split from ready token streams (ordered by domain id).</summary>
    /// <param name="split">Which split the streams are.</param>
    /// <param name="tokenizer">The tokenizer that produced them.</param>
    /// <param name="streams">At least one stream; domain names must be distinct.</param>
    /// <exception cref="ArgumentException">No streams, or a domain appears twice.</exception>
    public TokenizedSplit(CorpusSplit split, ITokenizer tokenizer, IEnumerable<DomainTokenStream> streams)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(streams);
        DomainTokenStream[] ordered = streams.OrderBy(stream => stream.DomainId).ToArray();
        if (ordered.Length == 0)
        {
            throw new ArgumentException("A tokenized split needs at least one domain stream.", nameof(streams));
        }

        streamsByDomain = new Dictionary<string, DomainTokenStream>(StringComparer.Ordinal);
        foreach (DomainTokenStream stream in ordered)
        {
            if (!streamsByDomain.TryAdd(stream.Domain, stream))
            {
                throw new ArgumentException($"Domain '{stream.Domain}' appears twice.", nameof(streams));
            }
        }

        Split = split;
        Tokenizer = tokenizer;
        Streams = Array.AsReadOnly(ordered);
        Domains = Array.AsReadOnly(ordered.Select(stream => stream.Domain).ToArray());
        TotalTokens = ordered.Sum(stream => (long)stream.Length);
    }

    /// <summary>The split.</summary>
    public CorpusSplit Split { get; }

    /// <summary>The tokenizer used.</summary>
    public ITokenizer Tokenizer { get; }

    /// <summary>One stream per included domain, ordered by domain id.</summary>
    public IReadOnlyList<DomainTokenStream> Streams { get; }

    /// <summary>The names of the included domains, ordered by domain id.</summary>
    public IReadOnlyList<string> Domains { get; }

    /// <summary>The number of tokens over all streams.</summary>
    public long TotalTokens { get; }

    /// <summary>
    /// Tokenizes one split of every domain that has it: each document is encoded and followed by
    /// end-of-text (the last one too), so a stream is <c>doc0 EOT doc1 EOT ... docN EOT</c>. Domains
    /// lacking the split are left out; the others keep their corpus ids.
    /// </summary>
    /// <exception cref="CorpusException">No domain has the split.</exception>
    public static TokenizedSplit Create(DomainCorpus corpus, ITokenizer tokenizer, CorpusSplit split)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var streams = new List<DomainTokenStream>();
        foreach (string domain in corpus.Domains)
        {
            if (corpus.HasSplit(domain, split))
            {
                streams.Add(new DomainTokenStream(domain, corpus.DomainId(domain), Encode(corpus.Documents(domain, split), tokenizer)));
            }
        }

        if (streams.Count == 0)
        {
            string file = DomainCorpus.FileName(split);
            throw new CorpusException($"No corpus domain has {file}: {corpus.Directory}", corpus.Directory);
        }

        return new TokenizedSplit(split, tokenizer, streams);
    }

    /// <summary>The stream of an included domain.</summary>
    /// <exception cref="ArgumentException">The domain is not part of this split.</exception>
    public DomainTokenStream Stream(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (streamsByDomain.TryGetValue(domain, out DomainTokenStream? stream))
        {
            return stream;
        }

        throw new ArgumentException(
            $"Domain '{domain}' is not in the {Split} split. Domains: {string.Join(", ", Domains)}.", nameof(domain));
    }

    private static int[] Encode(IReadOnlyList<string> documents, ITokenizer tokenizer)
    {
        var tokens = new List<int>();
        foreach (string document in documents)
        {
            tokens.AddRange(tokenizer.Encode(document));
            tokens.Add(tokenizer.EndOfText);
        }

        return tokens.ToArray();
    }
}
