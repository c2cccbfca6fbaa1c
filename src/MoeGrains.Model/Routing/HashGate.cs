using static TorchSharp.torch;

namespace MoeGrains.Model.Routing;

/// <summary>
/// Hash layers (Roller et al. 2021): a fixed hash of the token id picks the expert, with weight 1 — no learned
/// routing, no capacity, no auxiliary loss. The hash is <c>SplitMix64(id) mod E</c> (see <c>SplitMix64</c>), a fixed
/// integer mixing function, so routing is identical across runs, processes and machines; every layer uses the same
/// hash. The table over the vocabulary is precomputed so that routing is a single gather.
/// </summary>
public sealed class HashGate : Gate
{
    private Tensor expertOfToken; // [V] long; a non-persistent buffer so that it follows the module's device

    /// <summary>Creates the gate for token ids in [0, <paramref name="vocabularySize"/>).</summary>
    /// <param name="name">Module name.</param>
    /// <param name="experts">Number of experts E.</param>
    /// <param name="vocabularySize">Number of token ids V.</param>
    public HashGate(string name, int experts, int vocabularySize) : base(name, experts)
    {
        if (vocabularySize <= 0) throw new ArgumentException($"The vocabulary size must be positive (got {vocabularySize}).", nameof(vocabularySize));
        VocabularySize = vocabularySize;
        var table = new long[vocabularySize];
        for (var id = 0; id < vocabularySize; id++) table[id] = ExpertOf(id, experts);
        expertOfToken = tensor(table);
        register_buffer(nameof(expertOfToken), expertOfToken, persistent: false);
        RegisterComponents();
    }

    /// <summary>Number of token ids the gate accepts.</summary>
    public int VocabularySize { get; }

    /// <summary>The expert token <paramref name="tokenId"/> is routed to among <paramref name="experts"/>: SplitMix64(id) mod E.</summary>
    public static int ExpertOf(long tokenId, int experts) =>
        (int)(SplitMix64.Hash(unchecked((ulong)tokenId)) % (ulong)experts);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The token ids do not match the hidden states or lie outside the vocabulary.</exception>
    public override RoutingPlan Route(Tensor hidden, RoutingContext context)
    {
        using var scope = NewDisposeScope();
        var ids = FixedRouting.Ids(context.TokenIds, hidden, "token");
        FixedRouting.CheckRange(ids, VocabularySize, "Token", "the vocabulary size");
        var expert = expertOfToken.to(ids.device).index_select(0, ids); // [T]
        return FixedRouting.Plan(scope, hidden, expert, Experts);
    }
}
