using MetaRewarding.Worker.Experiments;

namespace MetaRewarding.Worker.Tests.Experiments;

public class ExperimentConsoleTests
{
    [Fact]
    public void Line_NotATerminal_EachLineOnceAndNoProgressBar()
    {
        using var output = new StringWriter();
        var console = new ExperimentConsole(output, isTerminal: false);
        console.Line("oracle: phase seed");
        console.Progress("seed SFT", 5, 10);
        console.Line("oracle: phase seed");
        console.Line("oracle: iteration 1/4");

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.DoesNotContain('\r', output.ToString());
        Assert.EndsWith("] oracle: iteration 1/4", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Progress_Terminal_RedrawsInPlaceAndALineClearsIt()
    {
        using var output = new StringWriter();
        var console = new ExperimentConsole(output, isTerminal: true);
        console.Progress("seed SFT", 6, 24);
        console.Progress("seed SFT", 12, 24);
        console.Line("seed model ready");

        var text = output.ToString();
        Assert.StartsWith("\rseed SFT [######------------------] 6/24", text, StringComparison.Ordinal);
        Assert.Contains("\rseed SFT [############------------] 12/24", text, StringComparison.Ordinal);
        Assert.EndsWith("] seed model ready" + Environment.NewLine, text, StringComparison.Ordinal);
    }
}
