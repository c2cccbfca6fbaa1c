using MoeGrains.Abstractions.Experts;

namespace MoeGrains.Grains.Routers;

/// <summary>A call to one expert failed or timed out; the message names the expert and the cause.</summary>
public sealed class ExpertCallException(ExpertId expert, Exception inner)
    : Exception($"Expert {expert} failed: {inner.Message}", inner)
{
    /// <summary>The expert that failed.</summary>
    public ExpertId Expert { get; } = expert;
}
