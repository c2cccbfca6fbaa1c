namespace MoeGrains.Grains.Experts;

/// <summary>
/// An expert could not read or write its checkpoint blobs (corrupt or missing blob, storage outage, conflict). Carries the
/// store's message, which names the blob, across the grain boundary: the store's own exceptions have no Orleans codec, so
/// callers would otherwise see only "Could not find a codec".
/// </summary>
[GenerateSerializer, Alias("moe.ExpertCheckpointException")]
public sealed class ExpertCheckpointException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, naming the expert and the blob.</param>
    /// <param name="transient">True when retrying may succeed (a storage outage), false for corrupt or missing data.</param>
    public ExpertCheckpointException(string message, bool transient) : base(message) => Transient = transient;

    /// <summary>True when retrying may succeed (a storage outage), false for corrupt or missing data.</summary>
    [Id(0)]
    public bool Transient { get; }
}
