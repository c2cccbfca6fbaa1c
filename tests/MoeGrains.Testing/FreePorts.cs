using System.Net;
using System.Net.Sockets;

namespace MoeGrains.Testing;

/// <summary>Picks loopback ports nobody listens on.</summary>
public static class FreePorts
{
    /// <summary>Returns <paramref name="count"/> distinct free ports on 127.0.0.1 (free when asked; another process could take one before use).</summary>
    /// <param name="count">How many ports.</param>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners) listener.Start();
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }
}
