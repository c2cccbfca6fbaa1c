using System.Net;

namespace MoeGrains.Client.Connection;

/// <summary>Parses a comma-separated gateway list such as <c>127.0.0.1:30000,127.0.0.1:30001</c>.</summary>
public static class GatewayList
{
    /// <summary>The endpoints of <paramref name="text"/>; host names are resolved to their first IPv4 address.</summary>
    /// <exception cref="ArgumentException">An entry is not <c>address:port</c> or the list is empty (the message names the entry).</exception>
    public static IReadOnlyList<IPEndPoint> Parse(string text)
    {
        var endpoints = new List<IPEndPoint>();
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            endpoints.Add(ParseOne(entry));
        if (endpoints.Count == 0)
            throw new ArgumentException($"'{text}' names no gateway; expected address:port[,address:port…] such as 127.0.0.1:30000.");
        return endpoints;
    }

    private static IPEndPoint ParseOne(string entry)
    {
        if (IPEndPoint.TryParse(entry, out var endpoint) && endpoint.Port > 0) return endpoint;
        var colon = entry.LastIndexOf(':');
        if (colon > 0 && int.TryParse(entry[(colon + 1)..], out var port) && port is > 0 and <= 65535)
        {
            var host = entry[..colon];
            var address = Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                ?? throw new ArgumentException($"Gateway '{entry}': host '{host}' has no IPv4 address.");
            return new IPEndPoint(address, port);
        }
        throw new ArgumentException($"'{entry}' is not a gateway address; expected address:port such as 127.0.0.1:30000.");
    }
}
