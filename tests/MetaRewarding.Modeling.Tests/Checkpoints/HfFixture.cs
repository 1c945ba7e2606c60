using System.Text.Json.Nodes;
using MetaRewarding.Modeling.Llama;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Checkpoints;

/// <summary>
/// The tiny Hugging Face checkpoints and reference numbers in tests/fixtures/hf-fixture (written by transformers
/// 5.17, see make_fixture.py there). Found by walking up from the test binary, so tests work from any output folder.
/// </summary>
public static class HfFixture
{
    private static readonly Lazy<string> RootPath = new(FindRoot);
    private static readonly Lazy<JsonObject> ReferenceJson = new(() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "reference.json")))!);

    public static string Root => RootPath.Value;

    public static JsonObject Reference => ReferenceJson.Value;

    public static string Model(string name) => Path.Combine(Root, name);

    public static string ReferenceLogitsPath => Path.Combine(Root, "reference-logits.safetensors");

    public static long[][] Rows(JsonNode node) =>
        node.AsArray().Select(row => row!.AsArray().Select(v => v!.GetValue<long>()).ToArray()).ToArray();

    /// <summary>
    /// model-a as the fixture's reference numbers saw it. make_fixture.py saves model-a in fp32, then runs
    /// <c>A.to(torch.bfloat16).save_pretrained(...); A.float()</c>: nn.Module.to converts in place, so every
    /// number computed from A afterwards (logits_a, the DPO policy log-probs, losses and gradient norms) used
    /// bf16-rounded weights (and a bf16-rounded rotary inv_freq buffer). Loading model-a/ and rounding its
    /// weights through bf16 reproduces those weights exactly; logits then agree to 4.4e-5 relative, against
    /// 1e-2 for the unrounded weights. The remaining gap is the inv_freq rounding: rounding our inverse
    /// frequencies through bf16 as well made the logits bit-identical to logits_a (checked once by hand; the
    /// model keeps fp32 frequencies because that is what a correctly saved model-a means).
    /// </summary>
    public static LlamaForCausalLM LoadModelAAsReferenced()
    {
        var model = LlamaForCausalLM.FromPretrained(Model("model-a"), ScalarType.Float32, CPU);
        using var _ = no_grad();
        foreach (var (_, parameter) in model.named_parameters())
        {
            using var rounded = parameter.to_type(ScalarType.BFloat16);
            parameter.copy_(rounded);
        }
        return model;
    }

    private static string FindRoot()
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
