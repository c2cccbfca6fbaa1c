using System.Globalization;
using Microsoft.Extensions.Logging;
using MoeGrains.Grains.Hosting;

namespace MoeGrains.Grains.Messaging;

/// <summary>
/// Sends a grain call that only reads (an expert's inference forward, a domain expert's scoring) again when no answer came
/// within <see cref="MoeGrainsTimeoutOptions.ReadCallTimeout"/>, up to <see cref="MoeGrainsTimeoutOptions.ReadCallAttempts"/>
/// times.
/// </summary>
/// <remarks>
/// Why: after a whole-cluster restart on the same ports, Orleans closes the connections it still holds for the silos'
/// earlier incarnations as it learns they are dead, and a response queued on such a connection is dropped ("Connection
/// terminated"). Nothing fails; the caller just waits out the whole <see cref="MoeGrainsTimeoutOptions.ResponseTimeout"/>
/// (5 minutes, sized for a training step). Training calls are not repeated this way: they change the expert.
/// </remarks>
internal sealed class RepeatableCalls(MoeGrainsTimeoutOptions timeouts, ILogger logger)
{
    /// <summary>The result of <paramref name="call"/>; <paramref name="what"/> names the callee in log lines and errors.</summary>
    public async Task<T> SendAsync<T>(Func<Task<T>> call, string what)
    {
        for (var attempt = 1; ; attempt++)
        {
            var pending = call();
            try
            {
                return await pending.WaitAsync(timeouts.ReadCallTimeout);
            }
            catch (TimeoutException)
            {
                // The abandoned call may still fail later; observe it so that it is not reported as unobserved.
                _ = pending.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                if (attempt >= timeouts.ReadCallAttempts)
                    throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                        $"{what} did not answer within {timeouts.ReadCallTimeout.TotalSeconds:0.#} s, {attempt} time(s) in a row."));
                logger.LogWarning("No answer from {What} within {Timeout} s (attempt {Attempt} of {Attempts}): sending the call again",
                    what, timeouts.ReadCallTimeout.TotalSeconds, attempt, timeouts.ReadCallAttempts);
            }
        }
    }
}
