using MoeGrains.Abstractions.Experts;

namespace MoeGrains.Grains.Routers;

/// <summary>
/// A call to one expert failed or timed out; the message names the expert and the cause. Serializable, so a client whose
/// request failed this way sees that message rather than Orleans' "Could not find a codec" (seen when an expert silo died
/// under serving load).
/// </summary>
[GenerateSerializer, Alias("moe.ExpertCallException")]
public sealed class ExpertCallException(ExpertId expert, Exception inner)
    : Exception($"Expert {expert} failed: {inner.Message}", inner)
{
    /// <summary>The expert that failed.</summary>
    [Id(0)]
    public ExpertId Expert { get; } = expert;
}
