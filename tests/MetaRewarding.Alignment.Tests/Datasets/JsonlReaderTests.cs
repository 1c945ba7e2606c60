using System.Text;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Parsing;
using MetaRewarding.TestSupport;

namespace MetaRewarding.Alignment.Tests.Datasets;

public class JsonlReaderTests
{
    private static readonly string[] MixedLines =
    [
        """{"id": "p1", "prompt": "Hello"}""",
        "",
        """{"id": "p2", "prompt": "no closing brace" """,
        """{"id": "p3"}""",
        "null",
        """{"id": "", "prompt": "empty id"}""",
        """{"id": "p4", "prompt": "Bye", "extra": 1}""",
    ];

    [Fact]
    public void Read_SkipAndCount_YieldsGoodLinesAndReportsEachBadOneWithFileAndLine()
    {
        using var folder = new TemporaryFolder("alignment-tests-");
        var path = folder.Write("prompts.jsonl", MixedLines);
        var log = new MalformedLineLog(MalformedLinePolicy.SkipAndCount);

        var records = JsonlReader.ReadFile(path, DatasetJsonContext.Default.PromptRecord, log).ToList();

        Assert.Equal(["p1", "p4"], records.Select(r => r.Record.Id));
        Assert.Equal([1L, 7L], records.Select(r => r.LineNumber));
        Assert.Equal(4, log.Count);
        Assert.Equal(["prompts.jsonl:3: ", "prompts.jsonl:4: ", "prompts.jsonl:5: ", "prompts.jsonl:6: "], log.Messages.Select(m => m[..m.IndexOf(' ', StringComparison.Ordinal)] + " "));
        Assert.Contains("prompt", log.Messages[1], StringComparison.Ordinal); // the missing required field is named
        Assert.Contains("JSON null", log.Messages[2], StringComparison.Ordinal);
        Assert.Contains("field 'id' is empty", log.Messages[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Fatal_ThrowsAtTheFirstBadLine()
    {
        using var folder = new TemporaryFolder("alignment-tests-");
        var path = folder.Write("prompts.jsonl", MixedLines);
        var log = new MalformedLineLog(MalformedLinePolicy.Fatal);

        var error = Assert.Throws<MalformedLineException>(() => JsonlReader.ReadFile(path, DatasetJsonContext.Default.PromptRecord, log).ToList());

        Assert.Equal(3, error.LineNumber);
        Assert.Equal("prompts.jsonl", error.File);
        Assert.StartsWith("prompts.jsonl:3: not a valid PromptRecord", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CrlfBomAndNoFinalNewline_AreHandled()
    {
        var bytes = Encoding.UTF8.GetPreamble()
            .Concat(Encoding.UTF8.GetBytes("{\"id\":\"a\",\"prompt\":\"x\"}\r\n\r\n{\"id\":\"b\",\"prompt\":\"é 😀\"}"))
            .ToArray();
        var log = new MalformedLineLog(MalformedLinePolicy.Fatal);

        var records = JsonlReader.Read(new MemoryStream(bytes), "mem", DatasetJsonContext.Default.PromptRecord, log).ToList();

        Assert.Equal(["a", "b"], records.Select(r => r.Record.Id));
        Assert.Equal("é 😀", records[1].Record.Prompt);
        Assert.Equal(3, records[1].LineNumber);
    }

    [Fact]
    public void Read_LinesLongerThanTheBuffer_AreReadWhole()
    {
        var big = new string('x', 3_000_000);
        var text = $"{{\"id\":\"a\",\"prompt\":\"{big}\"}}\n{{\"id\":\"b\",\"prompt\":\"small\"}}\n";
        var log = new MalformedLineLog(MalformedLinePolicy.Fatal);

        var records = JsonlReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "mem", DatasetJsonContext.Default.PromptRecord, log).ToList();

        Assert.Equal(3_000_000, records[0].Record.Prompt.Length);
        Assert.Equal("small", records[1].Record.Prompt);
    }

    [Fact]
    public void Read_IsLazy_NothingIsReadBeforeEnumeration()
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"id\":\"a\",\"prompt\":\"x\"}\n"));
        var records = JsonlReader.Read(stream, "mem", DatasetJsonContext.Default.PromptRecord, new MalformedLineLog(MalformedLinePolicy.Fatal));

        Assert.Equal(0, stream.Position);
        Assert.Single(records);
    }

    [Fact]
    public void Read_MetaJudgmentVerdicts_ParsesTheTextIntoItsVerdict()
    {
        string[] lines =
        [
            """{"id":"m1","promptId":"p","responseId":"r","judgmentAId":"a","judgmentBId":"b","text":"Both fine.\n\u0057inner: Judgement b"}""",
            """{"id":"m2","promptId":"p","responseId":"r","judgmentAId":"b","judgmentBId":"a","text":"no verdict"}""",
            """{"id":"m3","promptId":"p","responseId":"r","judgmentAId":"a","judgmentBId":"b","text":7}""",
            """{"id":"m4","promptId":"p","responseId":"r","judgmentAId":"a","judgmentBId":"a","text":"Winner: Judgment A"}""",
        ];
        var log = new MalformedLineLog(MalformedLinePolicy.SkipAndCount);

        var records = JsonlReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", lines))), "meta.jsonl", DatasetJsonContext.Default.MetaJudgmentVerdict, log).ToList();

        Assert.Equal([VerdictPosition.B, VerdictPosition.None], records.Select(r => r.Record.Verdict.Winner));
        Assert.Equal(2, log.Count);
        Assert.Contains("'text' must be a string", log.Messages[0], StringComparison.Ordinal);
        Assert.Contains("a battle needs two judgments", log.Messages[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Judgments_EnforceFieldsAndSkipUnknownOnes()
    {
        string[] lines =
        [
            """{"id":"j1","promptId":"p","responseId":"r","text":"Score: 4","model":{"name":"x","t":[1,2]}}""",
            """{"id":"j2","promptId":"p","responseId":"r"}""",
            """{"id":"j3","promptId":"p","responseId":"r","text":null}""",
            """{"id":"j4","promptId":5,"responseId":"r","text":"t"}""",
            """["not", "an", "object"]""",
        ];
        var log = new MalformedLineLog(MalformedLinePolicy.SkipAndCount);

        var records = JsonlReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", lines))), "judgments.jsonl", DatasetJsonContext.Default.JudgmentRecord, log).ToList();

        Assert.Equal("Score: 4", Assert.Single(records).Record.Text);
        Assert.Equal(4, log.Count);
        Assert.Contains("missing required field 'text'", log.Messages[0], StringComparison.Ordinal);
        Assert.Contains("'text' must be a string, got null", log.Messages[1], StringComparison.Ordinal);
        Assert.Contains("'promptId' must be a string, got a number", log.Messages[2], StringComparison.Ordinal);
        Assert.Contains("expected a JudgmentRecord object", log.Messages[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Judgment_RoundTrips()
    {
        var judgment = new JudgmentRecord { Id = "j", PromptId = "p", ResponseId = "r", Text = "Line 1\n\"quoted\" é 😀 Score: 3" };
        var stream = new MemoryStream();
        using (var writer = new JsonlWriter<JudgmentRecord>(stream, DatasetJsonContext.Default.JudgmentRecord))
        {
            writer.Write(judgment);
        }

        var back = JsonlReader.Read(new MemoryStream(stream.ToArray()), "mem", DatasetJsonContext.Default.JudgmentRecord, new MalformedLineLog(MalformedLinePolicy.Fatal)).Single();

        Assert.Equal(judgment, back.Record);
    }

    [Fact]
    public void Write_ThenRead_RoundTripsPairsWithTrlFieldNames()
    {
        var pair = new PreferencePairRecord
        {
            Kind = PairKind.Judge,
            Prompt = "judge prompt\nwith lines",
            Chosen = "good \"judgment\"",
            Rejected = "bad",
            PromptId = "p1",
            ResponseId = "p1/r2",
            ChosenId = "j1",
            RejectedId = "j2",
            ChosenScore = 1.25,
            RejectedScore = -1.25,
        };
        var stream = new MemoryStream();
        using (var writer = new JsonlWriter<PreferencePairRecord>(stream, DatasetJsonContext.Default.PreferencePairRecord))
        {
            writer.Write(pair);
            writer.Write(pair with { Kind = PairKind.Actor, ResponseId = null });
        }

        var text = Encoding.UTF8.GetString(stream.ToArray());
        var lines = text.Split('\n');
        var back = JsonlReader.Read(new MemoryStream(stream.ToArray()), "mem", DatasetJsonContext.Default.PreferencePairRecord, new MalformedLineLog(MalformedLinePolicy.Fatal)).ToList();

        Assert.Equal(3, lines.Length); // two lines and the final newline
        Assert.StartsWith("{\"kind\":\"judge\",\"prompt\":\"judge prompt\\nwith lines\",\"chosen\":", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("responseId", lines[1], StringComparison.Ordinal);
        Assert.Equal(pair, back[0].Record);
        Assert.Equal(PairKind.Actor, back[1].Record.Kind);
    }
}
