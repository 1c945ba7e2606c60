using System.Text.Json.Nodes;
using MetaRewarding.Worker.Cli;

namespace MetaRewarding.Worker.Tests;

public sealed class LogprobsCommandTests : IDisposable
{
    private readonly string work = Path.Combine(Path.GetTempPath(), "mr-logprobs-" + Guid.NewGuid().ToString("N"));

    public LogprobsCommandTests() => Directory.CreateDirectory(work);

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public void Run_TokenIdLines_WritesLogprobsMatchingTransformers()
    {
        // model-b is the fixture's DPO reference model: transformers' ref_chosen_logp are its summed completion log-probs.
        var dpo = Reference()["dpo"]!.AsObject();
        var prompts = dpo["prompts"]!.AsArray();
        var chosen = dpo["chosen"]!.AsArray();
        var input = Path.Combine(work, "in.jsonl");
        File.WriteAllLines(input, prompts.Select((p, i) => new JsonObject
        {
            ["id"] = $"pair-{i}",
            ["prompt_ids"] = p!.DeepClone(),
            ["completion_ids"] = chosen[i]!.DeepClone(),
        }.ToJsonString()));
        var output = Path.Combine(work, "out.jsonl");

        var (code, _, stderr) = Run("--model", Fixture("model-b"), "--input", input, "--output", output, "--batch-size", "3");

        Assert.True(code == LogprobsCommand.ExitOk, stderr);
        var lines = File.ReadAllLines(output).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var expected = dpo["ref_chosen_logp"]!.AsArray();
        Assert.Equal(expected.Count, lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.Equal($"pair-{i}", lines[i]["id"]!.GetValue<string>());
            Assert.Equal(16, lines[i]["tokens"]!.GetValue<int>());
            var want = expected[i]!.GetValue<double>();
            // Sums of 16 fp32 log-probs (~-100): 1e-4 relative, as in the Modeling fixture tests.
            Assert.True(Math.Abs(lines[i]["logprob"]!.GetValue<double>() - want) <= 1e-4 * Math.Abs(want), $"line {i}: {lines[i]["logprob"]} vs {want}");
        }
    }

    [Fact]
    public void Run_TextLineWithoutTokenizer_FailsNamingTheLineAndTheFix()
    {
        var input = Path.Combine(work, "in.jsonl");
        File.WriteAllLines(input, ["{\"prompt_ids\":[1,2],\"completion_ids\":[3]}", "{\"prompt\":\"hi\",\"completion\":\"there\"}"]);
        var output = Path.Combine(work, "out.jsonl");

        var (code, _, stderr) = Run("--model", Fixture("model-b"), "--input", input, "--output", output);

        Assert.Equal(LogprobsCommand.ExitBadInput, code);
        Assert.Contains("in.jsonl:2: text input needs a tokenizer", stderr, StringComparison.Ordinal);
        Assert.Contains("prompt_ids and completion_ids", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("{\"prompt_ids\":[1,2],\"completion_ids\":[3,\"x\"]}", "\"completion_ids\"[1] is not a non-negative integer")]
    [InlineData("{\"prompt_ids\":[],\"completion_ids\":[3]}", "prompt_ids is empty")]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{\"completion_ids\":[3]}", "\"prompt_ids\" must be an array")]
    public void Run_MalformedLine_FailsWithLineNumberAndReason(string line, string reason)
    {
        var input = Path.Combine(work, "in.jsonl");
        File.WriteAllLines(input, ["{\"prompt_ids\":[1],\"completion_ids\":[3]}", line]);

        var (code, _, stderr) = Run("--model", Fixture("model-b"), "--input", input, "--output", Path.Combine(work, "out.jsonl"));

        Assert.Equal(LogprobsCommand.ExitBadInput, code);
        Assert.Contains("in.jsonl:2:", stderr, StringComparison.Ordinal);
        Assert.Contains(reason, stderr, StringComparison.Ordinal);
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = LogprobsCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static JsonObject Reference() => JsonNode.Parse(File.ReadAllText(Fixture("reference.json")))!.AsObject();

    // tests/fixtures/hf-fixture, found by walking up from the test binary.
    private static string Fixture(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "hf-fixture");
            if (File.Exists(Path.Combine(candidate, "reference.json")))
            {
                return Path.Combine(candidate, name);
            }
        }

        throw new DirectoryNotFoundException($"tests/fixtures/hf-fixture not found above {AppContext.BaseDirectory}.");
    }
}
