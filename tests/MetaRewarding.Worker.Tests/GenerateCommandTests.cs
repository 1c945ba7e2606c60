using System.Text.Json.Nodes;
using MetaRewarding.Tokenization;
using MetaRewarding.Worker.Cli;

namespace MetaRewarding.Worker.Tests;

/// <summary>The <c>generate</c> verb end to end on the Hugging Face fixture (tests/fixtures/hf-fixture).</summary>
public sealed class GenerateCommandTests : IDisposable
{
    private readonly string workDir = Directory.CreateTempSubdirectory("generate-verb-").FullName;

    public void Dispose() => Directory.Delete(workDir, recursive: true);

    [Fact]
    public void Run_GreedyPromptIdsOnShardedFixture_WritesTransformersGreedyTokens()
    {
        // model-a-bf16-sharded holds exactly the bf16-rounded weights transformers generated the model-a
        // reference with (make_fixture.py), so greedy decoding must reproduce its 20 tokens per prompt.
        var reference = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(FixtureRoot, "reference.json")))!;
        var prompts = reference["dpo"]!["prompts"]!.AsArray().Take(2).Select(p => p!.AsArray().Select(t => t!.GetValue<int>()).ToArray()).ToArray();
        var expected = reference["greedy"]!["model-a"]!.AsArray().Select(r => r!.AsArray().Skip(8).Select(t => t!.GetValue<int>()).ToArray()).ToArray();
        var input = Path.Combine(workDir, "in.jsonl");
        File.WriteAllLines(input, prompts.Select((p, i) => new JsonObject { ["id"] = $"p{i}", ["prompt_ids"] = new JsonArray(p.Select(t => (JsonNode?)t).ToArray()) }.ToJsonString()));
        var output = Path.Combine(workDir, "out", "completions.jsonl");
        var (code, stdout, stderr) = Run("--model", Path.Combine(FixtureRoot, "model-a-bf16-sharded"), "--input", input, "--output", output,
            "--greedy", "--max-new-tokens", "20", "--batch-size", "2");

        Assert.True(code == GenerateCommand.ExitOk, stderr);
        Assert.Contains("2 completions", stdout, StringComparison.Ordinal);
        var lines = File.ReadAllLines(output).Select(l => (JsonObject)JsonNode.Parse(l)!).ToArray();
        Assert.Equal(2, lines.Length);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal($"p{i}", lines[i]["id"]!.GetValue<string>());
            Assert.Equal(prompts[i], lines[i]["prompt_ids"]!.AsArray().Select(t => t!.GetValue<int>()));
            Assert.Equal(expected[i], lines[i]["completion_ids"]!.AsArray().Select(t => t!.GetValue<int>()));
            Assert.Equal("length", lines[i]["finish_reason"]!.GetValue<string>());
            Assert.Null(lines[i]["completion"]); // the fixture has no tokenizer: ids only
        }
    }

    [Fact]
    public void Run_TextPromptWithTokenizerInFolder_EncodesAndDecodes()
    {
        // model-b's 600 ids, covered by a character tokenizer of 597 symbols + 3 specials saved beside the weights.
        var folder = Path.Combine(workDir, "model-with-tokenizer");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Path.Combine(FixtureRoot, "model-b")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        var alphabet = "abc" + new string(Enumerable.Range(0x100, 594).Select(c => (char)c).ToArray());
        var tokenizer = CharacterTokenizer.Create(alphabet);
        Assert.Equal(600, tokenizer.VocabularySize);
        CharacterTokenizerFile.Save(tokenizer, folder);
        var input = Path.Combine(workDir, "in.jsonl");
        File.WriteAllLines(input, ["{\"prompt\":\"abcab\"}", "{\"prompt_ids\":[" + string.Join(",", tokenizer.Encode("cab")) + "]}"]);
        var output = Path.Combine(workDir, "out.jsonl");

        var (code, _, stderr) = Run("--model", folder, "--input", input, "--output", output, "--greedy", "--max-new-tokens", "6");

        Assert.True(code == GenerateCommand.ExitOk, stderr);
        foreach (var line in File.ReadAllLines(output).Select(l => (JsonObject)JsonNode.Parse(l)!))
        {
            var ids = line["completion_ids"]!.AsArray().Select(t => t!.GetValue<int>()).ToArray();
            Assert.NotEmpty(ids);
            Assert.Equal(tokenizer.Decode(ids, skipSpecialTokens: true), line["completion"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Run_TextPromptWithoutTokenizer_FailsNamingTheLineAndTheFix()
    {
        var input = Path.Combine(workDir, "in.jsonl");
        File.WriteAllLines(input, ["{\"prompt_ids\":[5,6,7]}", "{\"prompt\":\"hello\"}"]);
        var output = Path.Combine(workDir, "out.jsonl");

        var (code, _, stderr) = Run("--model", Path.Combine(FixtureRoot, "model-b"), "--input", input, "--output", output);

        Assert.Equal(GenerateCommand.ExitBadInput, code);
        Assert.Contains("in.jsonl:2", stderr, StringComparison.Ordinal);
        Assert.Contains("prompt_ids", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Run_LineWithoutPrompt_FailsWithLineNumber()
    {
        var input = Path.Combine(workDir, "in.jsonl");
        File.WriteAllLines(input, ["{\"text\":\"no prompt here\"}"]);

        var (code, _, stderr) = Run("--model", Path.Combine(FixtureRoot, "model-b"), "--input", input, "--output", Path.Combine(workDir, "o.jsonl"));

        Assert.Equal(GenerateCommand.ExitBadInput, code);
        Assert.Contains("in.jsonl:1", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MissingModelFolder_FailsNamingIt()
    {
        var input = Path.Combine(workDir, "in.jsonl");
        File.WriteAllLines(input, ["{\"prompt_ids\":[5]}"]);
        var missing = Path.Combine(workDir, "no-such-model");

        var (code, _, stderr) = Run("--model", missing, "--input", input, "--output", Path.Combine(workDir, "o.jsonl"));

        Assert.Equal(GenerateCommand.ExitBadInput, code);
        Assert.Contains("no-such-model", stderr, StringComparison.Ordinal);
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = GenerateCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string FixtureRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "hf-fixture");
                if (File.Exists(Path.Combine(candidate, "reference.json")))
                {
                    return candidate;
                }
            }
            throw new DirectoryNotFoundException($"tests/fixtures/hf-fixture not found above {AppContext.BaseDirectory}.");
        }
    }
}
