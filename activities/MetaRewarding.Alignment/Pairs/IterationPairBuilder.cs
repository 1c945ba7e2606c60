using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Elo;
using MetaRewarding.Alignment.Metrics;
using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Alignment.Scoring;
using MetaRewarding.Alignment.Templates;

namespace MetaRewarding.Alignment.Pairs;

/// <summary>
/// Builds one iteration's DPO dataset from its JSONL files (docs/ALGORITHM.md steps 2–5), streaming: prompts are read
/// first (the slice is small), then responses, judgments and meta-judgments are consumed one prompt group at a
/// time. Actor pairs are emitted as each prompt is done; judge pairs at the end, because ω1/ω2 need the whole
/// iteration's battles. Memory: one prompt's records, plus the battled judgments of each prompt when the judge
/// is trained.
/// </summary>
public static class IterationPairBuilder
{
    /// <summary>Builds the pairs, passing each to <paramref name="emit"/>, and returns the iteration's metrics.</summary>
    public static IterationMetrics Build(IterationPairInputs inputs, IterationPairContext context, Action<PreferencePairRecord> emit)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(emit);
        var trainsJudge = context.Settings.TrainsJudge;
        if (trainsJudge && inputs.MetaJudgmentsPath is null)
        {
            throw new ArgumentException($"iteration {context.Iteration} trains the judge, so its meta-judgments file is needed", nameof(inputs));
        }

        var log = new MalformedLineLog(context.MalformedLines);
        var metrics = new IterationMetricsAccumulator();
        var json = DatasetJsonContext.Default;
        var (prompts, ordinals) = ReadPrompts(inputs.PromptsPath, log);
        metrics.Prompts = prompts.Count;

        using var responses = new PromptGroupReader<ResponseRecord>(
            JsonlReader.ReadFile(inputs.ResponsesPath, json.ResponseRecord, log), r => r.PromptId, ordinals, Path.GetFileName(inputs.ResponsesPath), log);
        using var judgments = new PromptGroupReader<JudgmentRecord>(
            JsonlReader.ReadFile(inputs.JudgmentsPath, json.JudgmentRecord, log), j => j.PromptId, ordinals, Path.GetFileName(inputs.JudgmentsPath), log);
        using var metaJudgments = trainsJudge
            ? new PromptGroupReader<MetaJudgmentVerdict>(
                JsonlReader.ReadFile(inputs.MetaJudgmentsPath!, json.MetaJudgmentVerdict, log), m => m.PromptId, ordinals, Path.GetFileName(inputs.MetaJudgmentsPath!), log)
            : null;

        var state = new PromptState(context, log, metrics, Path.GetFileName(inputs.JudgmentsPath));
        var battleGroups = new List<JudgeBattleGroup>();
        long firstPositionWins = 0, secondPositionWins = 0;
        for (var ordinal = 0; ordinal < prompts.Count; ordinal++)
        {
            responses.ReadGroup(ordinal, state.ResponseLines);
            judgments.ReadGroup(ordinal, state.JudgmentLines);
            metaJudgments?.ReadGroup(ordinal, state.MetaJudgmentLines);
            state.Load(prompts[ordinal]);
            if (state.Responses.Count == 0)
            {
                metrics.PromptsWithoutResponses++;
            }

            var actor = state.SelectActorPair();
            metrics.AddActorDecision(actor.Skip);
            if (actor.IsPair)
            {
                emit(state.ActorPair(actor));
            }

            if (trainsJudge)
            {
                var group = state.CollectBattles(out var skip, ref firstPositionWins, ref secondPositionWins);
                if (group is null)
                {
                    metrics.AddJudgeDecision(skip);
                }
                else
                {
                    battleGroups.Add(group);
                }
            }
        }

        responses.EnsureExhausted();
        judgments.EnsureExhausted();
        metaJudgments?.EnsureExhausted();

        var weights = PositionalBiasWeights.FromCounts(firstPositionWins, secondPositionWins);
        var candidates = new List<(PreferencePairRecord Pair, double ChosenScore)>();
        foreach (var group in battleGroups)
        {
            if (JudgePair(group, weights, context, metrics) is { } candidate)
            {
                candidates.Add(candidate);
            }
        }

        var kept = JudgePairBalance.Select(
            candidates.ConvertAll(c => c.ChosenScore), metrics.ActorPairs, context.Settings.JudgePairs, context.RunSeed, context.Iteration);
        for (var i = 0; i < candidates.Count; i++)
        {
            metrics.AddJudgeDecision(kept[i], candidates[i].ChosenScore);
            if (kept[i] == PairSkipReason.None)
            {
                emit(candidates[i].Pair);
            }
        }

        return metrics.ToMetrics(context.Iteration, weights, log);
    }

    private static (List<PromptRecord> Prompts, Dictionary<string, int> Ordinals) ReadPrompts(string path, MalformedLineLog log)
    {
        var prompts = new List<PromptRecord>();
        var ordinals = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in JsonlReader.ReadFile(path, DatasetJsonContext.Default.PromptRecord, log))
        {
            if (!ordinals.TryAdd(line.Record.Id, prompts.Count))
            {
                log.Report(Path.GetFileName(path), line.LineNumber, $"prompt id '{line.Record.Id}' was already used on an earlier line");
                continue;
            }

            prompts.Add(line.Record);
        }

        return (prompts, ordinals);
    }

    /// <summary>The prompt's judge pair and its chosen judgment's score, before the iteration-wide caps; null (counted) when the prompt gives none.</summary>
    private static (PreferencePairRecord Pair, double ChosenScore)? JudgePair(
        JudgeBattleGroup group, PositionalBiasWeights weights, IterationPairContext context, IterationMetricsAccumulator metrics)
    {
        var settings = context.Settings.JudgePairs;
        var n = group.Judgments.Length;
        var matrix = BattleMatrix.Build(n, group.Outcomes, weights, settings.RequireConsistentVerdicts);
        if (Array.TrueForAll(matrix, w => w == 0))
        {
            metrics.AddJudgeDecision(PairSkipReason.NoValidBattles);
            return null;
        }

        var fit = BradleyTerryFit.Fit(matrix, n, settings.EloL2Penalty);
        metrics.AddEloFit(fit);
        var texts = Array.ConvertAll(group.Judgments, j => j.Text);
        var decision = JudgePairSelector.Select(fit.Ratings, texts, group.JudgmentLengths, settings.ChosenMaxLength);
        metrics.AddEloTies(decision);
        if (!decision.IsPair)
        {
            metrics.AddJudgeDecision(decision.Skip);
            return null;
        }

        var chosenScore = group.JudgmentScores[decision.Chosen];
        if (settings.DropSameScore && chosenScore == group.JudgmentScores[decision.Rejected])
        {
            metrics.AddJudgeDecision(PairSkipReason.SameScoreJudgments);
            return null;
        }

        var judgePrompt = context.Templates.Judge.Render(new TemplateValues(group.Prompt.Prompt, group.Response.Text));
        return (new PreferencePairRecord
        {
            Kind = PairKind.Judge,
            Prompt = judgePrompt.Text,
            Chosen = texts[decision.Chosen],
            Rejected = texts[decision.Rejected],
            PromptId = group.Prompt.Id,
            ResponseId = group.Response.Id,
            ChosenId = group.Judgments[decision.Chosen].Id,
            RejectedId = group.Judgments[decision.Rejected].Id,
            ChosenScore = fit.Ratings[decision.Chosen],
            RejectedScore = fit.Ratings[decision.Rejected],
        }, chosenScore);
    }

    /// <summary>One prompt's records, reused from prompt to prompt to keep allocation per prompt small.</summary>
    private sealed class PromptState(IterationPairContext context, MalformedLineLog log, IterationMetricsAccumulator metrics, string judgmentsName)
    {
        public List<JsonlLine<ResponseRecord>> ResponseLines { get; } = [];

        public List<JsonlLine<JudgmentRecord>> JudgmentLines { get; } = [];

        public List<JsonlLine<MetaJudgmentVerdict>> MetaJudgmentLines { get; } = [];

        public List<ResponseRecord> Responses { get; } = [];

        private PromptRecord Prompt { get; set; } = null!;

        private List<int> Lengths { get; } = [];

        private List<List<ScoredJudgment>> JudgmentsByResponse { get; } = [];

        private List<ResponseScore> Scores { get; } = [];

        private List<string> DroppedResponseIds { get; } = [];

        private DuplicateResponses Duplicates { get; } = new();

        public void Load(PromptRecord prompt)
        {
            Prompt = prompt;
            Responses.Clear();
            Lengths.Clear();
            Scores.Clear();
            DroppedResponseIds.Clear();
            Duplicates.Clear();
            foreach (var line in ResponseLines)
            {
                var response = line.Record;
                if (!Duplicates.Keep(response))
                {
                    metrics.DuplicateResponsesDropped++;
                    DroppedResponseIds.Add(response.Id);
                    continue;
                }

                if (JudgmentsByResponse.Count <= Responses.Count)
                {
                    JudgmentsByResponse.Add([]);
                }

                JudgmentsByResponse[Responses.Count].Clear();
                Responses.Add(response);
                Lengths.Add(context.Length(response.Text));
            }

            foreach (var line in JudgmentLines)
            {
                var judgment = line.Record;
                var index = Responses.FindIndex(r => string.Equals(r.Id, judgment.ResponseId, StringComparison.Ordinal));
                if (index < 0)
                {
                    if (DroppedResponseIds.Contains(judgment.ResponseId))
                    {
                        metrics.JudgmentsOfDuplicateResponses++;
                    }
                    else
                    {
                        log.Report(judgmentsName, line.LineNumber, $"responseId '{judgment.ResponseId}' is not a response to prompt '{Prompt.Id}'");
                    }

                    continue;
                }

                var scored = ScoredJudgment.Parse(judgment);
                metrics.AddJudgment(scored.Score);
                JudgmentsByResponse[index].Add(scored);
            }

            Span<double> scores = stackalloc double[64];
            for (var i = 0; i < Responses.Count; i++)
            {
                var judged = JudgmentsByResponse[i];
                var values = judged.Count <= scores.Length ? scores[..judged.Count] : new double[judged.Count];
                for (var j = 0; j < judged.Count; j++)
                {
                    values[j] = judged[j].Score.IsValid ? judged[j].Score.Score : double.NaN;
                }

                var score = ResponseScore.FromScores(values);
                Scores.Add(score);
                metrics.AddResponse(Lengths[i], score.Mean);
            }
        }

        public ActorPairDecision SelectActorPair()
        {
            Span<ActorCandidate> candidates = new ActorCandidate[Responses.Count];
            for (var i = 0; i < Responses.Count; i++)
            {
                candidates[i] = new ActorCandidate(Responses[i].Text, Lengths[i], Scores[i]);
            }

            return ActorPairSelector.Select(candidates, context.Settings.ActorPairs);
        }

        public PreferencePairRecord ActorPair(ActorPairDecision decision) => new()
        {
            Kind = PairKind.Actor,
            Prompt = context.Templates.Actor.Render(new TemplateValues(Prompt.Prompt)).Text,
            Chosen = Responses[decision.Chosen].Text,
            Rejected = Responses[decision.Rejected].Text,
            PromptId = Prompt.Id,
            ChosenId = Responses[decision.Chosen].Id,
            RejectedId = Responses[decision.Rejected].Id,
            ChosenScore = Scores[decision.Chosen].Mean,
            RejectedScore = Scores[decision.Rejected].Mean,
        };

        /// <summary>
        /// Selects the response to battle (<see cref="BattleTarget"/>, the rule the meta-judge activity follows),
        /// checks the meta-judgments on file are for it and its distinct valid judgments, and parses the verdicts.
        /// Null (with the reason) when the prompt gives no judge pair.
        /// </summary>
        public JudgeBattleGroup? CollectBattles(out PairSkipReason skip, ref long firstPositionWins, ref long secondPositionWins)
        {
            var target = BattleTarget.Select(context.RunSeed, context.Iteration, Prompt.Id, JudgmentsByResponse.GetRange(0, Responses.Count), out skip);
            if (target is null)
            {
                return null;
            }

            var response = Responses[target.Response];
            var judgments = target.Judgments;
            var outcomes = new BattleOutcome[MetaJudgmentLines.Count];
            for (var i = 0; i < MetaJudgmentLines.Count; i++)
            {
                var meta = MetaJudgmentLines[i].Record;
                var first = IndexOf(judgments, meta.JudgmentAId);
                var second = IndexOf(judgments, meta.JudgmentBId);
                if (!string.Equals(meta.ResponseId, response.Id, StringComparison.Ordinal) || first < 0 || second < 0)
                {
                    // The battles on file were planned for another response (or include judgments that are not
                    // distinct and valid): counted as a skip reason, not silently used.
                    skip = PairSkipReason.MetaJudgmentsMismatch;
                    return null;
                }

                outcomes[i] = new BattleOutcome(new Battle(first, second), meta.Verdict.Winner);
            }

            if (outcomes.Length == 0)
            {
                skip = PairSkipReason.MetaJudgmentsMismatch;
                return null;
            }

            foreach (var outcome in outcomes)
            {
                metrics.AddMetaJudgment(outcome.Winner, judgments[outcome.Battle.First].Score.Score, judgments[outcome.Battle.Second].Score.Score);
                firstPositionWins += outcome.Winner == VerdictPosition.A ? 1 : 0;
                secondPositionWins += outcome.Winner == VerdictPosition.B ? 1 : 0;
            }

            skip = PairSkipReason.None;
            var records = judgments.Select(j => j.Record).ToArray();
            var scores = judgments.Select(j => j.Score.Score).ToArray();
            return new JudgeBattleGroup(Prompt, response, records, scores, Array.ConvertAll(records, r => context.Length(r.Text)), outcomes);
        }

        private static int IndexOf(IReadOnlyList<ScoredJudgment> judgments, string id)
        {
            for (var i = 0; i < judgments.Count; i++)
            {
                if (string.Equals(judgments[i].Record.Id, id, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
