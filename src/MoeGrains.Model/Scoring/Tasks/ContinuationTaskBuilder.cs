using MoeGrains.Model.Data;

namespace MoeGrains.Model.Scoring.Tasks;

/// <summary>
/// Builds a multiple-choice task from held-out passages of a corpus: each item's context is the start of a passage,
/// the right choice its true continuation, and the other choices are continuations of other passages of the same
/// domain (so the domain's style alone does not give the answer away). Passages are cut at word boundaries from
/// non-overlapping spans of the split's documents; everything random comes from the seed.
/// </summary>
public static class ContinuationTaskBuilder
{
    /// <summary>The items, domain by domain (domains in corpus order).</summary>
    /// <exception cref="ArgumentException">The options are invalid, or no domain has enough passages for one item.</exception>
    public static IReadOnlyList<ChoiceItem> Build(DomainCorpus corpus, CorpusSplit split, ContinuationTaskOptions options)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        var random = new Random(options.Seed);
        var items = new List<ChoiceItem>();
        foreach (var domain in corpus.Domains)
        {
            if (!corpus.HasSplit(domain, split)) continue;
            var passages = corpus.Documents(domain, split).SelectMany(document => Passages(document, options)).ToList();
            if (passages.Count < options.Choices) continue;
            var chosen = Enumerable.Range(0, passages.Count).OrderBy(_ => random.Next()).Take(options.ItemsPerDomain).Order().ToList();
            foreach (var index in chosen)
            {
                var (context, truth) = passages[index];
                var others = Enumerable.Range(0, passages.Count)
                    .Where(i => i != index && passages[i].Continuation != truth)
                    .OrderBy(_ => random.Next()).Take(options.Choices - 1).Select(i => passages[i].Continuation).ToList();
                if (others.Count < options.Choices - 1) continue;
                var label = random.Next(options.Choices);
                others.Insert(label, truth);
                items.Add(new ChoiceItem(context, others, label, Domain: domain));
            }
        }
        return items.Count > 0
            ? items
            : throw new ArgumentException($"The {split.ToString().ToLowerInvariant()} split of '{corpus.Directory}' has too little text for one item of {options.Choices} choices.");
    }

    /// <summary>(context, continuation) pairs from consecutive spans of a document; the continuation starts with the whitespace before its first word.</summary>
    private static IEnumerable<(string Context, string Continuation)> Passages(string document, ContinuationTaskOptions options)
    {
        var span = options.ContextCharacters + options.ContinuationCharacters;
        var start = 0;
        while (start + span <= document.Length)
        {
            var contextEnd = LastWhitespace(document, start + options.ContextCharacters, start + options.ContextCharacters / 2);
            var continuationEnd = contextEnd < 0 ? -1 : LastWhitespace(document, contextEnd + options.ContinuationCharacters, contextEnd + options.ContinuationCharacters / 2);
            if (contextEnd > 0 && continuationEnd > 0)
            {
                var context = document[start..contextEnd].TrimEnd();
                var continuation = document[contextEnd..continuationEnd].TrimEnd();
                if (context.Length > 0 && !string.IsNullOrWhiteSpace(continuation)) yield return (context, continuation);
            }
            start = NextWordStart(document, start + 2 * span);
        }
    }

    /// <summary>The last whitespace index in [<paramref name="lowest"/>, <paramref name="at"/>] that follows a non-space, or −1.</summary>
    private static int LastWhitespace(string text, int at, int lowest)
    {
        for (var i = Math.Min(at, text.Length - 1); i >= Math.Max(lowest, 1); i--)
            if (char.IsWhiteSpace(text[i]) && !char.IsWhiteSpace(text[i - 1])) return i;
        return -1;
    }

    private static int NextWordStart(string text, int from)
    {
        var i = from;
        while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        return i;
    }
}
