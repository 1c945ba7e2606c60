using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Elo;
using MetaRewarding.Alignment.Pairs;
using MetaRewarding.Alignment.Parsing;

namespace MetaRewarding.Alignment.Metrics;

/// <summary>Counts an iteration's events as pairs are built, then produces the <see cref="IterationMetrics"/>.</summary>
public sealed class IterationMetricsAccumulator
{
    private readonly SortedDictionary<string, long> _invalidJudgments = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _actorSkips = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _judgeSkips = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _judgePairChosenScores = new(StringComparer.Ordinal);
    private double _scoreSum;
    private long _scoredResponses;
    private double _lengthSum;
    private long _higherScoreWins;
    private long _differentScoreBattles;
    private long _eloIterationSum;
    private int _eloMaxIterations;

    public long Prompts { get; set; }

    public long PromptsWithoutResponses { get; set; }

    public long Responses { get; private set; }

    public long DuplicateResponsesDropped { get; set; }

    public long Judgments { get; private set; }

    public long InvalidJudgments { get; private set; }

    public long JudgmentsOfDuplicateResponses { get; set; }

    public long ActorPairs { get; private set; }

    public long JudgePairs { get; private set; }

    public long MetaJudgments { get; private set; }

    public long InvalidMetaJudgments { get; private set; }

    public long EloFits { get; private set; }

    public long EloTopTies { get; private set; }

    public long EloBottomTies { get; private set; }

    public void AddResponse(int length, double meanScore)
    {
        Responses++;
        _lengthSum += length;
        if (!double.IsNaN(meanScore))
        {
            _scoredResponses++;
            _scoreSum += meanScore;
        }
    }

    public void AddJudgment(ScoreParseResult result)
    {
        Judgments++;
        if (!result.IsValid)
        {
            InvalidJudgments++;
            Increment(_invalidJudgments, CamelCase(result.Failure.ToString()));
        }
    }

    public void AddActorDecision(PairSkipReason skip)
    {
        if (skip == PairSkipReason.None)
        {
            ActorPairs++;
        }
        else
        {
            Increment(_actorSkips, CamelCase(skip.ToString()));
        }
    }

    public void AddJudgeDecision(PairSkipReason skip)
    {
        if (skip == PairSkipReason.None)
        {
            JudgePairs++;
        }
        else
        {
            Increment(_judgeSkips, CamelCase(skip.ToString()));
        }
    }

    /// <summary>A judge pair kept (with its chosen judgment's score, counted per score class) or dropped by an iteration-wide cap.</summary>
    public void AddJudgeDecision(PairSkipReason skip, double chosenScore)
    {
        AddJudgeDecision(skip);
        if (skip == PairSkipReason.None)
        {
            Increment(_judgePairChosenScores, chosenScore.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Counts the Elo fits whose top (bottom) rating was shared, so that the lowest-index pick is visible.</summary>
    public void AddEloTies(JudgePairDecision decision)
    {
        EloTopTies += decision.TopTied ? 1 : 0;
        EloBottomTies += decision.BottomTied ? 1 : 0;
    }

    /// <summary>One meta-judgment, with the judge scores of the judgments in each position (for the higher-score rate).</summary>
    public void AddMetaJudgment(VerdictPosition winner, double firstScore, double secondScore)
    {
        MetaJudgments++;
        if (winner == VerdictPosition.None)
        {
            InvalidMetaJudgments++;
            return;
        }

        if (firstScore != secondScore)
        {
            _differentScoreBattles++;
            var winnerScore = winner == VerdictPosition.A ? firstScore : secondScore;
            if (winnerScore == Math.Max(firstScore, secondScore))
            {
                _higherScoreWins++;
            }
        }
    }

    public void AddEloFit(EloFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        EloFits++;
        _eloIterationSum += fit.Iterations;
        _eloMaxIterations = Math.Max(_eloMaxIterations, fit.Iterations);
    }

    public IterationMetrics ToMetrics(int iteration, PositionalBiasWeights weights, MalformedLineLog malformed)
    {
        ArgumentNullException.ThrowIfNull(malformed);
        return new IterationMetrics
        {
            Iteration = iteration,
            Prompts = Prompts,
            PromptsWithoutResponses = PromptsWithoutResponses,
            Responses = Responses,
            DuplicateResponsesDropped = DuplicateResponsesDropped,
            Judgments = Judgments,
            InvalidJudgments = InvalidJudgments,
            InvalidJudgmentRate = Ratio(InvalidJudgments, Judgments),
            InvalidJudgmentsByReason = new SortedDictionary<string, long>(_invalidJudgments, StringComparer.Ordinal),
            JudgmentsOfDuplicateResponses = JudgmentsOfDuplicateResponses,
            MeanResponseScore = _scoredResponses == 0 ? double.NaN : _scoreSum / _scoredResponses,
            MeanResponseLength = Responses == 0 ? double.NaN : _lengthSum / Responses,
            ActorPairs = ActorPairs,
            ActorSkips = new SortedDictionary<string, long>(_actorSkips, StringComparer.Ordinal),
            JudgePairs = JudgePairs,
            JudgeSkips = new SortedDictionary<string, long>(_judgeSkips, StringComparer.Ordinal),
            JudgePairChosenScores = new SortedDictionary<string, long>(_judgePairChosenScores, StringComparer.Ordinal),
            MetaJudgments = MetaJudgments,
            InvalidMetaJudgments = InvalidMetaJudgments,
            Omega1 = weights.Omega1,
            Omega2 = weights.Omega2,
            MetaJudgeFirstPositionRate = weights.FirstPositionRate,
            MetaJudgeHigherScoreRate = Ratio(_higherScoreWins, _differentScoreBattles),
            EloFits = EloFits,
            EloTopTies = EloTopTies,
            EloBottomTies = EloBottomTies,
            EloMaxIterations = _eloMaxIterations,
            EloMeanIterations = EloFits == 0 ? double.NaN : (double)_eloIterationSum / EloFits,
            MalformedLines = malformed.Count,
            MalformedLineMessages = [.. malformed.Messages],
        };
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? double.NaN : (double)numerator / denominator;

    private static void Increment(SortedDictionary<string, long> counts, string key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;

    private static string CamelCase(string name) => string.Concat(char.ToLowerInvariant(name[0]).ToString(), name.AsSpan(1));
}
