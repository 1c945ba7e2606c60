using System.Text.Json.Nodes;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Tests.Checkpoints;

namespace MetaRewarding.Modeling.Tests.Llama;

public class LlamaConfigTests
{
    private const string Llama31Style = """
        {"architectures":["LlamaForCausalLM"],"model_type":"llama","vocab_size":128256,"hidden_size":4096,
         "intermediate_size":14336,"num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":8,
         "rms_norm_eps":1e-05,"rope_theta":500000.0,"max_position_embeddings":131072,"tie_word_embeddings":false,
         "bos_token_id":128000,"eos_token_id":[128001,128008,128009],
         "rope_scaling":{"factor":8.0,"low_freq_factor":1.0,"high_freq_factor":4.0,"original_max_position_embeddings":8192,"rope_type":"llama3"}}
        """;

    [Fact]
    public void FromJson_Transformers5RopeParameters_ReadsThetaAndLlama3Scaling()
    {
        var config = LlamaConfig.FromJsonFile(Path.Combine(HfFixture.Model("model-a"), "config.json"));

        Assert.Equal(500000.0, config.RopeTheta);
        Assert.Equal(new RopeScaling { RopeType = "llama3", Factor = 8, LowFreqFactor = 1, HighFreqFactor = 4, OriginalMaxPositionEmbeddings = 8192 }, config.RopeScaling);
        Assert.Equal((4, 1, 12), (config.NumAttentionHeads, config.NumKeyValueHeads, config.HeadDim));
        Assert.Equal([2], config.EosTokenIds);
    }

    [Fact]
    public void FromJson_OlderRopeThetaAndRopeScaling_ReadsBothAndEosList()
    {
        var config = Parse(Llama31Style);

        Assert.Equal(500000.0, config.RopeTheta);
        Assert.Equal("llama3", config.RopeScaling!.RopeType);
        Assert.Equal(8.0, config.RopeScaling.Factor);
        Assert.Equal(128, config.HeadDim); // derived: hidden_size / num_attention_heads
        Assert.Equal([128001, 128008, 128009], config.EosTokenIds);
    }

    [Fact]
    public void FromJson_LegacyTypeKeyAndNoScaling_AreAccepted()
    {
        var legacy = Parse(Llama31Style.Replace("\"rope_type\":\"llama3\"", "\"type\":\"default\"", StringComparison.Ordinal));
        var withoutScaling = (JsonObject)JsonNode.Parse(Llama31Style)!;
        withoutScaling.Remove("rope_scaling");
        var plain = LlamaConfig.FromJson(withoutScaling, "test-config.json");

        Assert.Equal("default", legacy.RopeScaling!.RopeType);
        Assert.Null(plain.RopeScaling);
    }

    [Theory]
    [InlineData("yarn")]
    [InlineData("dynamic")]
    public void FromJson_UnsupportedRopeType_NamesTheType(string ropeType)
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            Parse(Llama31Style.Replace("\"rope_type\":\"llama3\"", $"\"rope_type\":\"{ropeType}\"", StringComparison.Ordinal)));

        Assert.Contains($"'{ropeType}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("test-config.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_OtherArchitecture_IsRejectedByName()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            Parse(Llama31Style.Replace("LlamaForCausalLM", "Qwen2ForCausalLM", StringComparison.Ordinal)));

        Assert.Contains("Qwen2ForCausalLM", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_KvHeadsNotDividingHeads_IsRejected()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            Parse(Llama31Style.Replace("\"num_key_value_heads\":8", "\"num_key_value_heads\":5", StringComparison.Ordinal)));

        Assert.Contains("num_key_value_heads", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_ThenFromJson_GivesTheSameConfig()
    {
        var config = Parse(Llama31Style);

        var again = LlamaConfig.FromJson(config.ToJson("bfloat16"), "round-trip");

        Assert.Equal(config with { EosTokenIds = [] }, again with { EosTokenIds = [] });
        Assert.Equal(config.EosTokenIds, again.EosTokenIds);
    }

    private static LlamaConfig Parse(string json) => LlamaConfig.FromJson((JsonObject)JsonNode.Parse(json)!, "test-config.json");
}
