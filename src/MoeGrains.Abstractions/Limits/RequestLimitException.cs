namespace MoeGrains.Abstractions.Limits;

/// <summary>
/// A request exceeded one of the cluster's request limits (configuration section <c>MoeGrains:Limits</c>); the message names
/// the limit, its key and the request's value.
/// </summary>
/// <remarks>Derives from <see cref="Exception"/>: Orleans has no copier for <see cref="ArgumentException"/> as a base type.</remarks>
[GenerateSerializer, Alias("moe.RequestLimitException")]
public sealed class RequestLimitException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which limit, its configuration key, and the request's value.</param>
    public RequestLimitException(string message) : base(message)
    {
    }
}
