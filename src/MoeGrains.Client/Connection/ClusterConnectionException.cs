namespace MoeGrains.Client.Connection;

/// <summary>The client could not reach the cluster; the message names the gateways or membership store it tried.</summary>
public sealed class ClusterConnectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClusterConnectionException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
