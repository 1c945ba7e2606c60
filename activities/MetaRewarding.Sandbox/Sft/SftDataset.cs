using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Alignment.Templates;
using MetaRewarding.Sandbox.Formats;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Sft;

/// <summary>
/// The seed SFT data, generated lazily and deterministically: example <c>i</c> of a kind depends only on
/// (<see cref="SandboxSettings.DataSeed"/>, kind, i), so a training loop can stream ~2.5k batches × 64 without
/// storing them, resume at any batch, and get the same data on every run. Tasks come from the train split only.
/// docs/SANDBOX.md's recipe: one kind per batch (<see cref="Batch"/>; padding per batch is then 2× cheaper), kinds
/// drawn with the <see cref="SandboxSettings.ActorShare"/>/<see cref="SandboxSettings.JudgeShare"/>/<see cref="SandboxSettings.MetaJudgeShare"/> mix.
/// </summary>
public sealed class SftDataset
{
    private readonly SandboxSettings _settings;
    private readonly PromptTemplates _templates;

    /// <param name="settings">Validated here.</param>
    /// <param name="templates">The templates prompts are rendered with; <see cref="CompactTemplates.Templates"/> when null.</param>
    public SftDataset(SandboxSettings settings, PromptTemplates? templates = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Tasks = new TaskSource(settings);
        _settings = settings;
        _templates = templates ?? CompactTemplates.Templates;
    }

    /// <summary>The task source (splits) the data is drawn from.</summary>
    public TaskSource Tasks { get; }

    /// <summary>The kind of example <paramref name="index"/> (or of batch <paramref name="index"/>), drawn with the SFT mix.</summary>
    public SftExampleKind KindOf(long index)
    {
        var u = SandboxRandom.For(_settings.DataSeed, "sft/kind", index).NextDouble();
        return u < _settings.ActorShare ? SftExampleKind.Actor
            : u < _settings.ActorShare + _settings.JudgeShare ? SftExampleKind.Judge
            : SftExampleKind.MetaJudge;
    }

    /// <summary>Example <paramref name="index"/> of the mixed stream: its kind by <see cref="KindOf"/>.</summary>
    public SftExample Example(long index) => Example(KindOf(index), index);

    /// <summary>Example <paramref name="index"/> of the <paramref name="kind"/> stream, rendered as text.</summary>
    public SftExample Example(SftExampleKind kind, long index) => kind switch
    {
        SftExampleKind.Actor => Render(ActorDemonstrationAt(index)),
        SftExampleKind.Judge => Render(JudgeDemonstrationAt(index)),
        SftExampleKind.MetaJudge when _settings.Family == TaskFamily.Route => Render(RouteMetaJudgeDemonstrationAt(index)),
        SftExampleKind.MetaJudge => Render(MetaJudgeDemonstrationAt(index)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown SFT example kind."),
    };

    /// <summary>Batch <paramref name="batchIndex"/>: <paramref name="batchSize"/> examples of one kind, drawn with the mix.</summary>
    public IReadOnlyList<SftExample> Batch(long batchIndex, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batchIndex);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var kind = KindOf(batchIndex);
        return [.. Enumerable.Range(0, batchSize).Select(j => Example(kind, (batchIndex * batchSize) + j))];
    }

    /// <summary>The endless stream of batches from <paramref name="firstBatch"/> on (take what you need).</summary>
    public IEnumerable<IReadOnlyList<SftExample>> Batches(int batchSize, long firstBatch = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        for (var b = firstBatch; ; b++)
        {
            yield return Batch(b, batchSize);
        }
    }

    /// <summary>The endless mixed stream of examples from <paramref name="first"/> on.</summary>
    public IEnumerable<SftExample> Examples(long first = 0)
    {
        for (var i = first; ; i++)
        {
            yield return Example(i);
        }
    }

    /// <summary>Actor demonstration <paramref name="index"/> (structured, before rendering).</summary>
    public ActorDemonstration ActorDemonstrationAt(long index)
    {
        var random = Random("sft/actor", index);
        return ResponseFactory.Actor(Tasks.Sample(DatasetSplit.Train, random), _settings, random);
    }

    /// <summary>Judge demonstration <paramref name="index"/>: a response (<see cref="ResponseFactory.JudgedResponse"/>: the stratified pool, or for routes a near miss) and its noisy marks.</summary>
    public JudgeDemonstration JudgeDemonstrationAt(long index)
    {
        var random = Random("sft/judge", index);
        var task = Tasks.Sample(DatasetSplit.Train, random);
        var response = ResponseFactory.JudgedResponse(task, _settings, random);
        var truth = task.Marks(response);
        var label = JudgmentNoise.Flip(truth, _settings.JudgeMarkFlipRate, random);
        var witness = task is RouteTask route ? WitnessNoise.Cite(route, response, label[RouteTask.EdgesCriterion], _settings.JudgeMarkFlipRate, random) : null;
        return new JudgeDemonstration(task, response, truth, label) { Witness = witness };
    }

    /// <summary>Route meta-judge demonstration <paramref name="index"/> (route family only): see <see cref="RouteMetaDemonstrations"/>.</summary>
    public RouteMetaJudgeDemonstration RouteMetaJudgeDemonstrationAt(long index)
    {
        if (_settings.Family != TaskFamily.Route)
        {
            throw new InvalidOperationException($"Route meta-judge demonstrations need the route family, not {_settings.Family}.");
        }

        return RouteMetaDemonstrations.At(Tasks, _settings, Random("sft/meta", index));
    }

    /// <summary>
    /// Meta-judge demonstration <paramref name="index"/>. Each judgment is noisy, lenient or strict
    /// (<see cref="SandboxSettings.BiasedJudgmentRate"/> each for the two biases); the winner has fewer wrong
    /// marks (ties are re-drawn). Balanced: a fair coin decides whether, when the two scores differ, the winner
    /// is the higher-scored judgment, so "the higher score wins" is right half the time in expectation and the
    /// shortcut earns nothing. Both positions are generated alike, so A wins half the time too.
    /// </summary>
    public MetaJudgeDemonstration MetaJudgeDemonstrationAt(long index)
    {
        var random = Random("sft/meta", index);
        var higherShouldWin = random.Chance(0.5);
        MetaJudgeDemonstration? fallback = null;
        for (var attempt = 0; attempt < MetaJudgeBalance.MaxResponses; attempt++)
        {
            var task = Tasks.Sample(DatasetSplit.Train, random);
            var response = ResponseFactory.JudgedResponse(task, _settings, random);
            var truth = task.Marks(response);

            // Judgments are cheap and the response is not: re-draw the pair a few times per response. Responses
            // that can never satisfy the coin (all marks true: the higher score is always the better judgment)
            // fall through to a new response, as in plain rejection.
            for (var draw = 0; draw < MetaJudgeBalance.JudgmentDrawsPerResponse; draw++)
            {
                var biasA = DrawBias(_settings, random);
                var biasB = DrawBias(_settings, random);
                var marksA = JudgmentNoise.Apply(truth, biasA, _settings.JudgeMarkFlipRate, _settings.BiasStrength, random);
                var marksB = JudgmentNoise.Apply(truth, biasB, _settings.JudgeMarkFlipRate, _settings.BiasStrength, random);
                var errorsA = MarkErrors.Count(marksA, truth);
                var errorsB = MarkErrors.Count(marksB, truth);
                if (errorsA == errorsB)
                {
                    continue;
                }

                var winner = errorsA < errorsB ? VerdictPosition.A : VerdictPosition.B;
                var candidate = new MetaJudgeDemonstration(task, response, truth, marksA, marksB, biasA, biasB, winner);
                fallback = candidate;
                var scoreA = marksA.Count(m => m);
                var scoreB = marksB.Count(m => m);
                if (MetaJudgeBalance.Keeps(scoreA, scoreB, winner, higherShouldWin))
                {
                    return candidate;
                }
            }
        }

        return fallback ?? throw new InvalidOperationException("No meta-judge demonstration with two different judgments was found: raise judgeMarkFlipRate or biasedJudgmentRate.");
    }

    /// <summary>The SFT text pair of an actor demonstration.</summary>
    public SftExample Render(ActorDemonstration demonstration)
    {
        ArgumentNullException.ThrowIfNull(demonstration);
        return new SftExample(SftExampleKind.Actor, _templates.Actor.Render(new TemplateValues(demonstration.Task.Prompt)).Text, demonstration.Response);
    }

    /// <summary>The SFT text pair of a judge demonstration.</summary>
    public SftExample Render(JudgeDemonstration demonstration)
    {
        ArgumentNullException.ThrowIfNull(demonstration);
        var prompt = _templates.Judge.Render(new TemplateValues(demonstration.Task.Prompt, demonstration.Response)).Text;
        return new SftExample(SftExampleKind.Judge, prompt, demonstration.Label);
    }

    /// <summary>The SFT text pair of a route meta-judge demonstration (its check and verdict).</summary>
    public SftExample Render(RouteMetaJudgeDemonstration demonstration)
    {
        ArgumentNullException.ThrowIfNull(demonstration);
        var prompt = _templates.MetaJudge.Render(new TemplateValues(
            demonstration.Task.Prompt, demonstration.Response, demonstration.JudgmentA, demonstration.JudgmentB)).Text;
        return new SftExample(SftExampleKind.MetaJudge, prompt, demonstration.Completion);
    }

    /// <summary>The SFT text pair of a meta-judge demonstration (reasoning form).</summary>
    public SftExample Render(MetaJudgeDemonstration demonstration)
    {
        ArgumentNullException.ThrowIfNull(demonstration);
        var prompt = _templates.MetaJudge.Render(new TemplateValues(
            demonstration.Task.Prompt,
            demonstration.Response,
            JudgmentFormat.Format(demonstration.MarksA),
            JudgmentFormat.Format(demonstration.MarksB))).Text;
        var completion = MetaJudgmentFormat.Format(demonstration.TrueMarks, demonstration.ErrorsA, demonstration.ErrorsB, demonstration.Winner);
        return new SftExample(SftExampleKind.MetaJudge, prompt, completion);
    }

    /// <summary>Which way a meta-judge demonstration's judgment errs: lenient and strict each with the biased rate, else noisy.</summary>
    internal static JudgmentBias DrawBias(SandboxSettings settings, SandboxRandom random)
    {
        var u = random.NextDouble();
        return u < settings.BiasedJudgmentRate ? JudgmentBias.Lenient
            : u < 2 * settings.BiasedJudgmentRate ? JudgmentBias.Strict
            : JudgmentBias.Noisy;
    }

    private SandboxRandom Random(string purpose, long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return SandboxRandom.For(_settings.DataSeed, purpose, index);
    }
}
