using System.Text.Json.Nodes;
using MetaRewarding.Modeling.Checkpoints;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Lora;
using MetaRewarding.Modeling.Native;
using MetaRewarding.Modeling.Scoring;
using MetaRewarding.Modeling.Tests.Training;
using MetaRewarding.Modeling.Training;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Lora;

/// <summary>LoRA adapters: PEFT's semantics (init, scaling, merge), PEFT's file format, frozen base, bad input.</summary>
public sealed class LoraAdapterTests : IDisposable
{
    private static readonly LlamaConfig Config = new()
    {
        VocabSize = 64, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4,
        NumKeyValueHeads = 2, HeadDim = 8, MaxPositionEmbeddings = 64,
    };

    private static readonly LoraOptions AllProjections = new(Rank: 4, Alpha: 8, Dropout: 0, ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]);

    private readonly string root = Path.Combine(Path.GetTempPath(), "mr-lora-" + Guid.NewGuid().ToString("N"));

    public LoraAdapterTests() => TorchRuntime.Initialize();

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void FreshAdapters_BIsZero_LogitsIdenticalToBase()
    {
        using var model = LlamaForCausalLM.Create(Config, ScalarType.Float32, CPU, seed: 1);
        using var expected = Logits(model);
        using var lora = LoraAdapters.Attach(model, AllProjections, seed: 3);
        using var actual = Logits(model);

        Assert.True(expected.equal(actual).all().item<bool>(), "a fresh adapter (B = 0) must leave the logits bit-identical");
    }

    [Fact]
    public void TrainedAdapters_MergedAndUnmerged_AgreeAndDisableGivesBase()
    {
        using var model = LlamaForCausalLM.Create(Config, ScalarType.Float32, CPU, seed: 1);
        using var baseLogits = Logits(model);
        var lora = LoraAdapters.Attach(model, AllProjections, seed: 3);
        RandomiseB(lora, seed: 9);
        using var unmerged = Logits(model);
        using (lora.Disable())
        {
            using var disabled = Logits(model);
            Assert.True(baseLogits.equal(disabled).all().item<bool>(), "with adapters disabled the model must be its base");
        }

        Assert.True(unmerged.sub(baseLogits).abs().max().item<float>() > 1e-3, "the randomised adapters should change the logits");
        lora.MergeAndRemove();
        using var merged = Logits(model);

        // fp32: W x + s·B(A x) and (W + s·BA) x differ only by rounding order; logits here are O(1), so 1e-5 absolute
        // is ~100 ulps of slack.
        var gap = merged.sub(unmerged).abs().max().item<float>();
        Assert.True(gap < 1e-5, $"merged and unmerged logits differ by {gap}");
        Assert.Null(model.Lora);
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad));
        Assert.DoesNotContain(model.named_parameters(), p => LoraAdapters.IsAdapterParameter(p.name));
    }

    [Fact]
    public void Backward_OnlyAdapterParametersGetGradients()
    {
        using var model = LlamaForCausalLM.Create(Config, ScalarType.Float32, CPU, seed: 1);
        using var lora = LoraAdapters.Attach(model, new LoraOptions(2, 4, 0.1, ["q_proj", "v_proj"]), seed: 3);
        model.train();
        using (var scope = NewDisposeScope())
        {
            using var batch = CompletionBatch.Create([new CompletionSequence([1, 2, 3], [4, 5, 6])], CPU);
            CompletionLogProbs.Sum(model, batch).sum().neg().backward();
        }

        foreach (var (name, parameter) in model.named_parameters())
        {
            var isAdapter = LoraAdapters.IsAdapterParameter(name);
            Assert.Equal(isAdapter, parameter.requires_grad);
            Assert.True(isAdapter == parameter.grad is not null, $"{name}: gradient {(parameter.grad is null ? "missing" : "present")}");
        }

        Assert.Equal(2 * 2 * 2, lora.Parameters.Count);
        Assert.Equal(2L * ((2 * (32 + 32)) + (2 * (32 + 16))), lora.ParameterCount);
    }

    [Fact]
    public void SaveThenLoad_FreshBase_SameLogitsBitwise()
    {
        var folder = Path.Combine(root, "adapter");
        using var model = LlamaForCausalLM.Create(Config, ScalarType.Float32, CPU, seed: 1);
        using var lora = LoraAdapters.Attach(model, AllProjections with { Dropout = 0.05 }, seed: 3);
        RandomiseB(lora, seed: 9);
        lora.Save(folder, baseModelPath: "/models/base");
        using var expected = Logits(model);

        using var fresh = LlamaForCausalLM.Create(Config, ScalarType.Float32, CPU, seed: 1);
        using var loaded = LoraAdapters.Load(fresh, folder);
        using var actual = Logits(fresh);

        Assert.True(expected.equal(actual).all().item<bool>());
        Assert.Equal(AllProjections.TargetModules.Order(), loaded.Options.TargetModules.Order());
        Assert.Equal(0.05, loaded.Options.Dropout);
    }

    [Fact]
    public void SavedFolder_KeyNamesShapesAndConfigFields_AreWhatPeftWrites()
    {
        var folder = Path.Combine(root, "adapter");
        using var model = LlamaForCausalLM.Create(Config, ScalarType.BFloat16, CPU, seed: 1);
        using var lora = LoraAdapters.Attach(model, new LoraOptions(8, 16, 0.05, ["v_proj", "q_proj"]), seed: 3);
        lora.Save(folder, baseModelPath: "/models/llama");

        // PEFT's save_pretrained: "base_model.model." + the model's parameter name, adapter name ("default")
        // stripped; lora_A [r, in], lora_B [out, r]; adapters in fp32 (autocast_adapter_dtype) on a bf16 base.
        using var reader = SafetensorsReader.Open(Path.Combine(folder, "adapter_model.safetensors"));
        var expectedKeys = Enumerable.Range(0, 2).SelectMany(i => new[]
        {
            ($"base_model.model.model.layers.{i}.self_attn.q_proj.lora_A.weight", new long[] { 8, 32 }),
            ($"base_model.model.model.layers.{i}.self_attn.q_proj.lora_B.weight", new long[] { 32, 8 }),
            ($"base_model.model.model.layers.{i}.self_attn.v_proj.lora_A.weight", new long[] { 8, 32 }),
            ($"base_model.model.model.layers.{i}.self_attn.v_proj.lora_B.weight", new long[] { 16, 8 }),
        }).ToDictionary(k => k.Item1, k => k.Item2);
        Assert.Equal(expectedKeys.Keys.Order(), reader.Entries.Keys.Order());
        foreach (var (key, shape) in expectedKeys)
        {
            Assert.Equal(shape, reader.Entries[key].Shape);
            Assert.Equal("F32", reader.Entries[key].Dtype);
        }

        // LoraConfig.to_dict() as PEFT writes adapter_config.json for a LoRA on a causal LM (PEFT's
        // docs/source/developer_guides/checkpoint.md shows the same field set), with task_type CAUSAL_LM.
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "adapter_config.json")))!.AsObject();
        string[] peftFields =
        [
            "alpha_pattern", "auto_mapping", "base_model_name_or_path", "bias", "fan_in_fan_out", "inference_mode", "init_lora_weights",
            "layer_replication", "layers_pattern", "layers_to_transform", "loftq_config", "lora_alpha", "lora_dropout", "megatron_config",
            "megatron_core", "modules_to_save", "peft_type", "r", "rank_pattern", "revision", "target_modules", "task_type", "use_dora", "use_rslora",
        ];
        Assert.Equal(peftFields, config.Select(p => p.Key));
        Assert.Equal("LORA", config["peft_type"]!.GetValue<string>());
        Assert.Equal("CAUSAL_LM", config["task_type"]!.GetValue<string>());
        Assert.Equal(8, config["r"]!.GetValue<int>());
        Assert.Equal(16, config["lora_alpha"]!.GetValue<double>());
        Assert.Equal(0.05, config["lora_dropout"]!.GetValue<double>());
        Assert.Equal(["q_proj", "v_proj"], config["target_modules"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("none", config["bias"]!.GetValue<string>());
        Assert.Equal("/models/llama", config["base_model_name_or_path"]!.GetValue<string>());
        Assert.False(config["use_rslora"]!.GetValue<bool>());
        Assert.False(config["fan_in_fan_out"]!.GetValue<bool>());
    }

    [Fact]
    public void BadInput_UnknownTargetOrBadRankOrAdapterWithoutBase_ClearErrors()
    {
        using var model = LlamaForCausalLM.Create(Config, ScalarType.Float32, CPU, seed: 1);
        var unknown = Assert.Throws<ArgumentException>(() => LoraAdapters.Attach(model, new LoraOptions(4, 8, 0, ["q_proj", "query"]), 0));
        Assert.Contains("'query' not in this model", unknown.Message, StringComparison.Ordinal);
        Assert.All(["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "lm_head"], name => Assert.Contains(name, unknown.Message, StringComparison.Ordinal));
        var rank = Assert.Throws<ArgumentException>(() => LoraAdapters.Attach(model, new LoraOptions(0, 8, 0, ["q_proj"]), 0));
        Assert.Contains("rank must be >= 1, got 0", rank.Message, StringComparison.Ordinal);
        Assert.Null(model.Lora);
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad));

        var folder = Path.Combine(root, "adapter-only");
        using (var lora = LoraAdapters.Attach(model, AllProjections, 0))
        {
            lora.Save(folder, baseModelPath: "/models/missing-base");
        }

        var alone = Assert.Throws<FileNotFoundException>(() => LlamaForCausalLM.FromPretrained(folder, ScalarType.Float32, CPU));
        Assert.Contains("is a LoRA adapter (adapter_config.json) without its base model", alone.Message, StringComparison.Ordinal);
        Assert.Contains("/models/missing-base", alone.Message, StringComparison.Ordinal);

        using var other = LlamaForCausalLM.Create(Config with { HiddenSize = 48, HeadDim = 12 }, ScalarType.Float32, CPU, seed: 1);
        var mismatch = Assert.Throws<InvalidDataException>(() => LoraAdapters.Load(other, folder));
        Assert.Contains("belongs to another base model", mismatch.Message, StringComparison.Ordinal);
        Assert.Null(other.Lora);
    }

    [Fact]
    public void DpoWithLora_TrainsOnlyAdaptersAndResumesFromAdapterCheckpoints()
    {
        // 4 pairs, one batch, 4 epochs: every step sees the same pairs, so the loss must fall.
        var data = TrainingData.Preferences(4, vocab: Config.VocabSize, seed: 4);
        var options = new DpoOptions { Training = new TrainingOptions { LearningRate = 1e-2, BatchSize = 4, Epochs = 4, CheckpointEverySteps = 2 } };
        using var model = LlamaForCausalLM.Create(Config, ScalarType.Float32, CPU, seed: 1);
        var before = model.BaseParameters().ToDictionary(p => p.Name, p => p.Parameter.data<float>().ToArray());
        using var lora = LoraAdapters.Attach(model, AllProjections, seed: 3);
        ReferenceLogProbs Reference()
        {
            using var off = lora.Disable();
            return ReferenceLogProbs.Compute(model, data, 4, CPU);
        }

        var result = DpoTrainer.Train(model, data, Reference, options, new CheckpointStore(Path.Combine(root, "a")), null, CancellationToken.None, new LoraWeightsFormat());

        Assert.Equal(4, result.Steps.Count);
        Assert.True(result.Steps[^1].Loss < result.Steps[0].Loss, "DPO with LoRA should lower the loss on its own pairs");
        foreach (var (name, parameter) in model.BaseParameters())
        {
            Assert.True(before[name].SequenceEqual(parameter.data<float>().ToArray()), $"base weight {name} changed");
        }

        var checkpointWeights = Path.Combine(result.FinalCheckpoint, TrainingLoop.WeightsFolderName);
        Assert.True(PeftAdapterFolder.IsAdapterFolder(checkpointWeights));
        Assert.False(File.Exists(Path.Combine(checkpointWeights, HfFolder.ConfigFileName)));

        // Interrupted after step 2, resumed with freshly initialised adapters: everything comes from the checkpoint.
        var store = new CheckpointStore(Path.Combine(root, "b"));
        var losses = new List<double>();
        using (var cancel = new CancellationTokenSource())
        using (var first = LlamaForCausalLM.Create(Config, ScalarType.Float32, CPU, seed: 1))
        using (var firstLora = LoraAdapters.Attach(first, AllProjections, seed: 3))
        {
            var stop = new SynchronousProgress<TrainingStepMetrics>(m =>
            {
                losses.Add(m.Loss);
                if (m.Step == 2)
                {
                    cancel.Cancel();
                }
            });
            Assert.Throws<OperationCanceledException>(() => DpoTrainer.Train(first, data, Reference, options, store, stop, cancel.Token, new LoraWeightsFormat()));
        }

        using var resumed = LlamaForCausalLM.Create(Config, ScalarType.Float32, CPU, seed: 1);
        using var resumedLora = LoraAdapters.Attach(resumed, AllProjections, seed: 77);
        var rest = DpoTrainer.Train(
            resumed, data, () => throw new InvalidOperationException("reference must come from the store"), options, store,
            new SynchronousProgress<TrainingStepMetrics>(m => losses.Add(m.Loss)), CancellationToken.None, new LoraWeightsFormat());
        Assert.Equal(2, rest.ResumedFromStep);
        Assert.Equal(result.Steps.Select(m => BitConverter.DoubleToInt64Bits(m.Loss)), losses.Select(BitConverter.DoubleToInt64Bits));
    }

    private static Tensor Logits(LlamaForCausalLM model)
    {
        using var noGrad = no_grad();
        using var ids = tensor(new long[] { 1, 5, 9, 13, 2, 7, 3, 30 }).view(2, 4);
        return model.forward(ids, null);
    }

    private static void RandomiseB(LoraAdapters lora, long seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in lora.Parameters.Where(p => p.Name.Contains(".lora_B.", StringComparison.Ordinal)))
        {
            parameter.normal_(0, 0.05, generator);
        }
    }
}
