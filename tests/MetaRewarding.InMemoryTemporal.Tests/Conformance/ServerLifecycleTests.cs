using System.Net;
using System.Net.Sockets;
using Temporalio.Client;

namespace MetaRewarding.InMemoryTemporal.Tests.Conformance;

public sealed class ServerLifecycleTests
{
    [Fact]
    public async Task StartAsync_GivenPort_ListensThereAndDisposeTwiceIsHarmless()
    {
        var port = FreePort();
        var server = await InMemoryTemporalServer.StartAsync(new InMemoryTemporalServerOptions { Port = port });
        Assert.Equal($"127.0.0.1:{port}", server.Target);
        var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(server.Target));
        await client.WorkflowService.GetSystemInfoAsync(new());
        await server.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task StartAsync_PortInUse_ThrowsNamingThePort()
    {
        await using var first = await InMemoryTemporalServer.StartAsync();
        var port = int.Parse(first.Target.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => InMemoryTemporalServer.StartAsync(new InMemoryTemporalServerOptions { Port = port }));
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, "default")]
    [InlineData(70000, "default")]
    [InlineData(0, " ")]
    public async Task StartAsync_InvalidOptions_ThrowsArgumentException(int port, string ns) =>
        await Assert.ThrowsAnyAsync<ArgumentException>(() => InMemoryTemporalServer.StartAsync(new InMemoryTemporalServerOptions { Port = port, Namespace = ns }));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
