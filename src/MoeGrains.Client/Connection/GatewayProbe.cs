using System.Net;
using System.Net.Sockets;

namespace MoeGrains.Client.Connection;

/// <summary>A quick TCP check that some gateway of a static list listens, so a wrong address fails at once, not after Orleans' retries.</summary>
internal static class GatewayProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <exception cref="ClusterConnectionException">No gateway accepted a connection; the message names each and why.</exception>
    public static async Task RequireAnyListeningAsync(IReadOnlyList<IPEndPoint> gateways, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (var gateway in gateways)
        {
            using var socket = new Socket(gateway.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Timeout);
            try
            {
                await socket.ConnectAsync(gateway, deadline.Token);
                return;
            }
            catch (SocketException e)
            {
                failures.Add($"{gateway} ({e.SocketErrorCode})");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{gateway} (no answer in {Timeout.TotalSeconds:N0} s)");
            }
        }
        throw new ClusterConnectionException($"No MoeGrains gateway listens at {string.Join(", ", failures)}; start a cluster (moe up) or check --cluster.");
    }
}
