using System.Text;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Elo;
using MetaRewarding.Alignment.Pairs;
using MetaRewarding.Alignment.Scoring;

namespace MetaRewarding.Alignment.Benchmarks;

/// <summary>
/// Writes one paper-sized iteration as JSONL: P prompts × K responses × N judgments, plus N·(N−1) meta-judgments
/// for the response the judge step selects (the highest-variance one, chosen with the same seeded tie-break the
/// real planning step uses). Text lengths are realistic: responses 200–1,500 characters, judgments ~100 words.
/// </summary>
internal static class SyntheticIteration
{
    public static IterationPairInputs Write(string folder, int prompts, int k, int n, long seed, int iteration)
    {
        var random = new Random(12345);
        var json = DatasetJsonContext.Default;
        var inputs = new IterationPairInputs(
            Path.Combine(folder, "prompts.jsonl"),
            Path.Combine(folder, "responses.jsonl"),
            Path.Combine(folder, "judgments.jsonl"),
            Path.Combine(folder, "meta-judgments.jsonl"));
        using var promptWriter = Open<PromptRecord>(inputs.PromptsPath, json.PromptRecord);
        using var responseWriter = Open<ResponseRecord>(inputs.ResponsesPath, json.ResponseRecord);
        using var judgmentWriter = Open<JudgmentRecord>(inputs.JudgmentsPath, json.JudgmentRecord);
        using var metaWriter = Open<MetaJudgmentRecord>(inputs.MetaJudgmentsPath!, json.MetaJudgmentRecord);
        var filler = Lorem(random, 4000);
        for (var p = 0; p < prompts; p++)
        {
            var promptId = $"p{p:D5}";
            promptWriter.Write(new PromptRecord { Id = promptId, Prompt = $"Question {p}: " + Slice(filler, random, 60, 400) });
            var candidates = new JudgeCandidate[k];
            var judgments = new List<(JudgmentRecord Record, double Score)>[k];
            for (var r = 0; r < k; r++)
            {
                var responseId = $"{promptId}/r{r}";
                responseWriter.Write(new ResponseRecord { Id = responseId, PromptId = promptId, Text = $"Answer {r}. " + Slice(filler, random, 200, 1500) });
                var quality = random.Next(1, 5);
                judgments[r] = [];
                var scores = new double[n];
                for (var j = 0; j < n; j++)
                {
                    // ~2% of judgments forget the score line: invalid, as real ones sometimes are.
                    var score = Math.Clamp(quality + random.Next(-1, 2), 0, 5);
                    var valid = random.NextDouble() >= 0.02;
                    var text = $"Judgment {j}. " + Slice(filler, random, 300, 700) + (valid ? $"\nScore: {score}" : "");
                    var record = new JudgmentRecord { Id = $"{responseId}/j{j}", PromptId = promptId, ResponseId = responseId, Text = text };
                    judgmentWriter.Write(record);
                    scores[j] = valid ? score : double.NaN;
                    if (valid)
                    {
                        judgments[r].Add((record, score));
                    }
                }

                candidates[r] = new JudgeCandidate(ResponseScore.FromScores(scores), judgments[r].Count);
            }

            var tieBreak = DeterministicRandom.For(seed, iteration, "judge-response", promptId);
            var selected = JudgeResponseSelector.Select(candidates, ref tieBreak);
            if (selected < 0)
            {
                continue;
            }

            var battled = judgments[selected];
            foreach (var battle in BattlePlan.Create(battled.Count))
            {
                var a = battled[battle.First];
                var b = battled[battle.Second];
                var verdict = random.NextDouble() < 0.03 ? "I cannot decide." : (a.Score + 0.5 + random.NextDouble() > b.Score + random.NextDouble()) ? "Winner: Judgment A" : "Winner: Judgement B";
                metaWriter.Write(new MetaJudgmentRecord
                {
                    Id = $"{promptId}/m{battle.First}-{battle.Second}",
                    PromptId = promptId,
                    ResponseId = $"{promptId}/r{selected}",
                    JudgmentAId = a.Record.Id,
                    JudgmentBId = b.Record.Id,
                    Text = Slice(filler, random, 150, 500) + "\n" + verdict,
                });
            }
        }

        return inputs;
    }

    private static JsonlWriter<T> Open<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : class => new(File.Create(path), typeInfo, ownsStream: true);

    private static string Slice(string filler, Random random, int min, int max)
    {
        var length = random.Next(min, max);
        var start = random.Next(0, filler.Length - length);
        return filler.Substring(start, length);
    }

    private static string Lorem(Random random, int length)
    {
        // Mostly English words, with an occasional non-ASCII one (1 in ~40) as in a real multilingual prompt pool.
        string[] words = ["the", "response", "answers", "question", "clearly", "with", "a", "relevant", "example", "but", "misses", "detail", "point", "rubric", "useful", "of", "is", "to", "and", "in"];
        string[] rare = ["écrit", "naïve", "→", "和", "🙂"];
        var text = new StringBuilder();
        while (text.Length < length)
        {
            var word = random.Next(40) == 0 ? rare[random.Next(rare.Length)] : words[random.Next(words.Length)];
            text.Append(word).Append(random.Next(12) == 0 ? ". " : " ");
        }

        return text.ToString(0, length);
    }
}
