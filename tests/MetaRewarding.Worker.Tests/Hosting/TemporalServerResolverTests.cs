using MetaRewarding.Worker.Hosting;

namespace MetaRewarding.Worker.Tests.Hosting;

/// <summary>Which server a process uses: an address, else `temporal` from PATH, else in-process.</summary>
public sealed class TemporalServerResolverTests : IDisposable
{
    private readonly string _bin = Directory.CreateTempSubdirectory("resolver-bin-").FullName;
    private readonly string _empty = Directory.CreateTempSubdirectory("resolver-empty-").FullName;

    public void Dispose()
    {
        Directory.Delete(_bin, recursive: true);
        Directory.Delete(_empty, recursive: true);
    }

    private string FakeTemporal(bool executable)
    {
        var path = Path.Combine(_bin, "temporal");
        File.WriteAllText(path, "#!/bin/sh\nexit 0\n");
        if (OperatingSystem.IsWindows())
        {
            return path;
        }

        File.SetUnixFileMode(path, executable ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute : UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    [Fact]
    public void Resolve_AddressGiven_UsesItEvenWithTemporalOnPath()
    {
        FakeTemporal(executable: true);

        var choice = TemporalServerResolver.Resolve(new TemporalSettings { Address = " temporal.prod:7233 " }, _bin);

        Assert.Equal(TemporalServerKind.Configured, choice.Kind);
        Assert.Equal("temporal.prod:7233", choice.Address);
        Assert.True(choice.IsDurable);
    }

    [Fact]
    public void Resolve_NoAddressTemporalOnPath_ChoosesTheDevServer()
    {
        var temporal = FakeTemporal(executable: true);

        var choice = TemporalServerResolver.Resolve(new TemporalSettings(), string.Join(Path.PathSeparator, _empty, _bin));

        Assert.Equal(TemporalServerKind.DevServer, choice.Kind);
        Assert.Equal(temporal, choice.Executable);
        Assert.Equal("127.0.0.1:7233", choice.Address);
        Assert.True(choice.IsDurable);
    }

    [Fact]
    public void Resolve_NoAddressNoTemporal_ChoosesTheInProcessServerWhichIsNotDurable()
    {
        var choice = TemporalServerResolver.Resolve(new TemporalSettings(), _empty);

        Assert.Equal(TemporalServerKind.InProcess, choice.Kind);
        Assert.Null(choice.Address);
        Assert.False(choice.IsDurable);
    }

    [Fact]
    public void Resolve_TemporalFileNotExecutable_IsNotUsed()
    {
        FakeTemporal(executable: false);

        Assert.Equal(TemporalServerKind.InProcess, TemporalServerResolver.Resolve(new TemporalSettings(), _bin).Kind);
    }

    [Fact]
    public void Resolve_NoPathVariable_ChoosesTheInProcessServer()
    {
        Assert.Equal(TemporalServerKind.InProcess, TemporalServerResolver.Resolve(new TemporalSettings(), null).Kind);
    }

    [Fact]
    public void DevServerArguments_RegisterTheSearchAttributesAndTheUiPort()
    {
        var arguments = string.Join(' ', DevServerProcess.Arguments("research", 7233));

        Assert.StartsWith("server start-dev", arguments, StringComparison.Ordinal);
        Assert.Contains("--ui-port 8233", arguments, StringComparison.Ordinal);
        Assert.Contains("--namespace research", arguments, StringComparison.Ordinal);
        Assert.Contains("--search-attribute MetaRewardingIteration=Int", arguments, StringComparison.Ordinal);
        Assert.Contains("--search-attribute MetaRewardingPhase=Keyword", arguments, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_InProcessChoice_ListensAndWarnsThatTheRunIsNotDurable()
    {
        using var log = new StringWriter();

        await using var server = await LocalTemporalServer.StartAsync(
            new TemporalServerChoice(TemporalServerKind.InProcess, null, null), new TemporalSettings { LocalPort = 0, UiPort = 0 }, log, CancellationToken.None);

        Assert.Matches(@"^127\.0\.0\.1:\d+$", server.Address);
        Assert.Contains("NOT durable", log.ToString(), StringComparison.Ordinal);
        var client = await TemporalClientFactory.ConnectAsync(server.Address, new TemporalSettings());
        Assert.Equal("default", client.Options.Namespace);
    }
}
