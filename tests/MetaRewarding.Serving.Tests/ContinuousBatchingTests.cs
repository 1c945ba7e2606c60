using System.Diagnostics;

namespace MetaRewarding.Serving.Tests;

/// <summary>Concurrent HTTP requests share one scheduling loop: they decode in one batch, each as if alone.</summary>
[Collection(TinyModelServerGroup.Name)]
public sealed class ContinuousBatchingTests(TinyModelServer fixture)
{
    [Fact]
    public async Task ConcurrentRequests_DecodeTogether_EachAnswerAsIfAlone()
    {
        string[] prompts = ["one ", "two two ", "three ", "four four four ", "five ", "six ", "seven ", "eight eight "];
        var scheduler = fixture.Server.Scheduler;
        Assert.True(scheduler.Statistics.PeakRows < 8, "no earlier request filled the batch");
        scheduler.Pause();
        Task<(int Status, System.Text.Json.Nodes.JsonObject Json)>[] answers;
        try
        {
            answers = [.. prompts.Select((p, i) => fixture.PostAsync("v1/completions", new { prompt = p, max_tokens = 5 + i, temperature = 0.8, seed = i }))];
            var waited = Stopwatch.StartNew();
            while (scheduler.Queued < prompts.Length && waited.Elapsed < TimeSpan.FromMinutes(1))
            {
                await Task.Delay(10); // wait for all eight to reach the loop; not a timing assertion
            }
        }
        finally
        {
            scheduler.Resume();
        }

        var results = await Task.WhenAll(answers);

        Assert.Equal(8, scheduler.Statistics.PeakRows); // the server's batch size: all eight decoded together
        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(200, results[i].Status);
            var alone = fixture.Generate(fixture.Direct.EncodePrompt(prompts[i]), 5 + i, seed: i, temperature: 0.8);
            Assert.Equal(alone.Text, (string?)results[i].Json["choices"]![0]!["text"]);
        }
    }
}
