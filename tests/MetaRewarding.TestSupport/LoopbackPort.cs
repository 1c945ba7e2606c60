using System.Net;
using System.Net.Sockets;

namespace MetaRewarding.TestSupport;

/// <summary>A loopback TCP port free right now, for a server a test starts (and starts again) on a known port.</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
