namespace MoeGrains.Grains.Hosting;

/// <summary>
/// Timeouts sized for training: an expert activation may load a checkpoint onto a GPU, and one grain call may run a
/// forward/backward step. Bound from <c>MoeGrains:Timeouts</c>.
/// </summary>
public sealed class MoeGrainsTimeoutOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "MoeGrains:Timeouts";

    /// <summary>
    /// How long <c>OnActivateAsync</c> may take (Orleans' <c>GrainCollectionOptions.ActivationTimeout</c>, 30 s by default);
    /// default here 2 minutes, for loading an expert's checkpoint.
    /// </summary>
    public TimeSpan ActivationTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a grain call may take before the caller gives up (Orleans' <c>SiloMessagingOptions.ResponseTimeout</c>,
    /// 30 s by default); default here 5 minutes, for a training step. Clients set their own.
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a read that is safe to send twice (an expert's inference forward, a domain expert's scoring) may go
    /// unanswered before it is sent again; default 1 minute. See <see cref="Messaging.RepeatableCalls"/> for why.
    /// </summary>
    public TimeSpan ReadCallTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many times such a read is sent before the caller gets a <see cref="TimeoutException"/>; default 3.</summary>
    public int ReadCallAttempts { get; set; } = 3;
}
