using System.Text.Json.Nodes;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Native;
using MetaRewarding.Modeling.Scoring;
using MetaRewarding.Modeling.Tests.Checkpoints;
using MetaRewarding.Modeling.Training;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Scoring;

/// <summary>
/// The DPO numbers of tests/fixtures/hf-fixture/reference.json, computed by transformers 5.17 (policy model-a,
/// reference model-b, beta 0.1, 8-token prompts, 16-token completions), reproduced through this project's scoring,
/// DPO loss and gradient-accumulation code on the project's Llama.
/// </summary>
public sealed class DpoFixtureTests : IDisposable
{
    // Log-probs are sums of 16 fp32 log-softmax values (~-100); the model's logits agree with transformers to ~4e-5
    // relative (see HfFixture.LoadModelAAsReferenced), so 1e-4 relative is the contract's bound with margin.
    private const double ValueTolerance = 1e-4;

    // Gradient norms go through a backward pass of different kernels (reduction order); 1e-3 relative per the contract.
    private const double GradientTolerance = 1e-3;

    private readonly JsonObject dpo;
    private readonly PreferenceExample[] pairs;
    private readonly LlamaForCausalLM policy;
    private readonly LlamaForCausalLM reference;

    public DpoFixtureTests()
    {
        TorchRuntime.Initialize();
        dpo = HfFixture.Reference["dpo"]!.AsObject();
        var prompts = HfFixture.Rows(dpo["prompts"]!);
        var chosen = HfFixture.Rows(dpo["chosen"]!);
        var rejected = HfFixture.Rows(dpo["rejected"]!);
        pairs = [.. prompts.Select((p, i) => new PreferenceExample(Ints(p), Ints(chosen[i]), Ints(rejected[i])))];
        policy = HfFixture.LoadModelAAsReferenced();
        reference = LlamaForCausalLM.FromPretrained(HfFixture.Model("model-b"), ScalarType.Float32, CPU);
    }

    public void Dispose()
    {
        policy.Dispose();
        reference.Dispose();
    }

    [Fact]
    public void Score_FixturePairs_MatchesTransformersLogProbs()
    {
        AssertClose(Doubles("policy_chosen_logp"), Scores(policy, p => p.ChosenIds), ValueTolerance);
        AssertClose(Doubles("policy_rejected_logp"), Scores(policy, p => p.RejectedIds), ValueTolerance);
        AssertClose(Doubles("ref_chosen_logp"), Scores(reference, p => p.ChosenIds), ValueTolerance);
        AssertClose(Doubles("ref_rejected_logp"), Scores(reference, p => p.RejectedIds), ValueTolerance);
    }

    [Fact]
    public void DpoLoss_FixturePairs_MatchesTransformersRewardsAndLosses()
    {
        using var scope = NewDisposeScope();
        var beta = dpo["beta"]!.GetValue<double>();
        var terms = DpoLoss.Compute(
            tensor(Scores(policy, p => p.ChosenIds)), tensor(Scores(policy, p => p.RejectedIds)),
            tensor(Scores(reference, p => p.ChosenIds)), tensor(Scores(reference, p => p.RejectedIds)), beta);

        // Rewards are β times a difference of two ~-100 sums: their error is ~β·2e-2 absolute, not relative to
        // the (small) reward, so they are compared with that absolute bound.
        AssertClose(Doubles("chosen_rewards"), Values(terms.ChosenRewards), ValueTolerance, absolute: beta * 200 * ValueTolerance);
        AssertClose(Doubles("rejected_rewards"), Values(terms.RejectedRewards), ValueTolerance, absolute: beta * 200 * ValueTolerance);
        AssertClose(Doubles("losses"), Values(terms.Losses), ValueTolerance);
        AssertClose([dpo["mean_loss"]!.GetValue<double>()], Values(terms.Losses.mean()), ValueTolerance);
    }

    [Fact]
    public void AccumulateGradients_FixturePairs_MatchesTransformersGradientNorms()
    {
        var referenceLogProbs = ReferenceLogProbs.Compute(reference, pairs, batchSize: 4, CPU);
        var objective = new DpoObjective(pairs, referenceLogProbs, new DpoOptions { Beta = dpo["beta"]!.GetValue<double>() });
        policy.train();

        // Micro-batches of 2 also checks that accumulation reproduces the one-batch gradient of transformers.
        var loss = TrainingLoop.AccumulateGradients(policy, objective, [0, 1, 2, 3], microBatchSize: 2, CPU, new double[objective.MetricCount], out _);

        AssertClose([dpo["mean_loss"]!.GetValue<double>()], [loss], ValueTolerance);
        var expected = dpo["grad_norm_per_param"]!.AsObject();
        var parameters = policy.named_parameters().ToList();
        Assert.Equal(expected.Count, parameters.Count);
        foreach (var (name, parameter) in parameters)
        {
            using var grad = parameter.grad!;
            var norm = grad.norm().item<float>();
            var want = expected[name]?.GetValue<double>() ?? throw new KeyNotFoundException($"reference.json has no gradient norm for {name}");
            Assert.True(Math.Abs(norm - want) <= GradientTolerance * want, $"{name}: {norm} vs transformers {want}");
        }

        var total = GradientNorm.Total(parameters.Select(p => p.parameter));
        AssertClose([dpo["grad_norm_total"]!.GetValue<double>()], [total], GradientTolerance);
    }

    private double[] Scores(LlamaForCausalLM model, Func<PreferenceExample, IReadOnlyList<int>> completion) =>
        [.. CompletionLogProbs.Score(model, [.. pairs.Select(p => new CompletionSequence(p.PromptIds, completion(p)))], batchSize: 4, CPU).Select(s => s.LogProb)];

    private double[] Doubles(string key) => [.. dpo[key]!.AsArray().Select(v => v!.GetValue<double>())];

    private static double[] Values(Tensor t) => [.. t.to(ScalarType.Float64).data<double>()];

    private static int[] Ints(long[] row) => [.. row.Select(v => (int)v)];

    private static void AssertClose(double[] expected, double[] actual, double relative, double absolute = 0)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var bound = Math.Max(relative * Math.Abs(expected[i]), absolute);
            Assert.True(Math.Abs(expected[i] - actual[i]) <= bound, $"[{i}] expected {expected[i]}, got {actual[i]} (bound {bound})");
        }
    }
}
