namespace MoeGrains.Abstractions.Limits;

/// <summary>
/// A request exceeded one of the cluster's request limits (configuration section <c>MoeGrains:Limits</c>); the message names
/// the limit, its key and the request's value. An <see cref="ArgumentException"/>, so callers that catch bad input catch it too.
/// </summary>
[GenerateSerializer, Alias("moe.RequestLimitException")]
public sealed class RequestLimitException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which limit, its configuration key, and the request's value.</param>
    public RequestLimitException(string message) : base(message)
    {
    }
}
