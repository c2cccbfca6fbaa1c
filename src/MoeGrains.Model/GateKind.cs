namespace MoeGrains.Model;

/// <summary>How the feed-forward sublayers of a model route tokens.</summary>
public enum GateKind
{
    /// <summary>No mixture: every layer has one dense feed-forward network (the baseline).</summary>
    Dense,

    /// <summary>Switch Transformer top-1 routing with a capacity factor, token dropping and a load-balancing loss.</summary>
    Switch,

    /// <summary>GShard top-2 routing: two experts per token, weights renormalised after dropping.</summary>
    Top2,

    /// <summary>BASE layers: balanced linear assignment (auction) while training, greedy top-1 at inference.</summary>
    Base,

    /// <summary>Hash layers: a fixed hash of the token id picks the expert.</summary>
    Hash,

    /// <summary>DEMix: the expert is the document's domain.</summary>
    Domain,
}
