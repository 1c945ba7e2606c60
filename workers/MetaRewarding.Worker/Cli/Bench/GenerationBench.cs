using MetaRewarding.Modeling.Engine;
using MetaRewarding.Modeling.Generation;
using MetaRewarding.Modeling.Llama;

namespace MetaRewarding.Worker.Cli.Bench;

/// <summary>
/// <c>bench --mode generate</c>: greedy KV-cache generation of B random prompts of P tokens, N new tokens each, through
/// the engine (<see cref="CheckpointEngine"/>); tokens/s counts new tokens.
/// </summary>
internal static class GenerationBench
{
    public static BenchRun Run(LlamaForCausalLM model, BenchSettings settings)
    {
        var random = new Random(0);
        var vocab = model.Config.VocabSize;
        model.eval();
        var requests = Enumerable.Range(0, settings.Batch)
            .Select(_ => new GenerationRequest { PromptIds = [.. Enumerable.Range(0, settings.Prompt).Select(_ => random.Next(3, vocab))] })
            .ToArray();
        var options = new GenerationOptions { Greedy = true, MaxNewTokens = settings.NewTokens, EosTokenIds = [], BatchSize = settings.Batch };
        var engine = new CheckpointEngine(model, tokenizer: null);
        var times = BenchCommand.Time(settings, () => engine.Generate(requests, options));
        return new BenchRun(times, (long)settings.Batch * settings.NewTokens, settings.Prompt + settings.NewTokens);
    }
}
