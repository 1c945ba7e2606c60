using MetaRewarding.Modeling.Generation;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Native;
using MetaRewarding.Modeling.Tests.Checkpoints;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Generation;

/// <summary>Greedy decoding against transformers' <c>generate(do_sample=False)</c> on the fixture (make_fixture.py).</summary>
public class GreedyFixtureTests
{
    public GreedyFixtureTests() => TorchRuntime.Initialize();

    [Theory]
    [InlineData("model-a")]
    [InlineData("model-c-tied")]
    public void Generate_GreedyOnFixturePrompts_EqualsTransformersTokens(string modelName)
    {
        // model-a: the reference generated with A after its in-place bf16 rounding (see HfFixture.LoadModelAAsReferenced).
        using var model = modelName == "model-a"
            ? HfFixture.LoadModelAAsReferenced()
            : LlamaForCausalLM.FromPretrained(HfFixture.Model(modelName), ScalarType.Float32, CPU);
        var greedy = HfFixture.Reference["greedy"]!;
        var newTokens = greedy["new_tokens"]!.GetValue<int>();
        var expected = HfFixture.Rows(greedy[modelName]!);
        var prompts = HfFixture.Rows(HfFixture.Reference["dpo"]!["prompts"]!).Take(expected.Length).ToArray();

        // transformers ran with eos_token_id=None and min_new_tokens=20: no early stop.
        var results = new TokenGenerator(model).Generate(
            prompts.Select(p => new GenerationRequest { PromptIds = p.Select(t => (int)t).ToArray() }).ToList(),
            new GenerationOptions { Greedy = true, MaxNewTokens = newTokens, EosTokenIds = [] });

        for (var i = 0; i < expected.Length; i++)
        {
            var expectedCompletion = expected[i].Skip(prompts[i].Length).Select(t => (int)t).ToArray();
            Assert.Equal(expectedCompletion, results[i].CompletionIds);
            Assert.Equal(FinishReason.Length, results[i].FinishReason);
        }
    }
}
