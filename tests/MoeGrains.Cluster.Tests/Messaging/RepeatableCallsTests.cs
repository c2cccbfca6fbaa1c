using Microsoft.Extensions.Logging.Abstractions;
using MoeGrains.Grains.Hosting;
using MoeGrains.Grains.Messaging;

namespace MoeGrains.Cluster.Tests.Messaging;

/// <summary>
/// A read left unanswered (a response Orleans dropped) is sent again after the read-call timeout; one that answers or fails
/// is sent once.
/// </summary>
public sealed class RepeatableCallsTests
{
    private static readonly MoeGrainsTimeoutOptions Timeouts = new() { ReadCallTimeout = TimeSpan.FromMilliseconds(200), ReadCallAttempts = 3 };
    private readonly RepeatableCalls calls = new(Timeouts, NullLogger.Instance);

    [Fact]
    public async Task A_call_whose_answer_never_comes_is_sent_again_and_the_second_answer_returned()
    {
        var sent = 0;
        var never = new TaskCompletionSource<int>();

        var result = await calls.SendAsync(() => ++sent == 1 ? never.Task : Task.FromResult(42), "expert m/0/1");

        Assert.Equal((42, 2), (result, sent));
    }

    [Fact]
    public async Task A_call_never_answered_fails_after_the_configured_attempts_naming_the_callee()
    {
        var sent = 0;

        var failure = await Assert.ThrowsAsync<TimeoutException>(() => calls.SendAsync(() => { sent++; return new TaskCompletionSource<int>().Task; }, "Domain expert 'code' of 'demix'"));

        Assert.Equal(3, sent);
        Assert.Contains("Domain expert 'code' of 'demix' did not answer within 0.2 s, 3 time(s) in a row", failure.Message);
    }

    [Fact]
    public async Task A_call_that_fails_is_not_sent_again()
    {
        var sent = 0;

        var failure = await Assert.ThrowsAsync<ArgumentException>(() => calls.SendAsync<int>(async () =>
        {
            sent++;
            await Task.Yield();
            throw new ArgumentException("wrong tensor shape");
        }, "expert m/0/1"));

        Assert.Equal((1, "wrong tensor shape"), (sent, failure.Message));
    }

    [Fact]
    public async Task A_call_that_answers_in_time_is_sent_once()
    {
        var sent = 0;

        var result = await calls.SendAsync(async () => { sent++; await Task.Delay(20); return "ok"; }, "expert m/0/1");

        Assert.Equal(("ok", 1), (result, sent));
    }
}
