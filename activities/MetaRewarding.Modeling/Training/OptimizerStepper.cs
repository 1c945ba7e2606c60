using System.Diagnostics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Training;

/// <summary>What one optimizer step computed.</summary>
/// <param name="Loss">The batch loss (before the update).</param>
/// <param name="GradNorm">Global gradient norm before clipping.</param>
/// <param name="Tokens">Real tokens through the model.</param>
/// <param name="MetricSums">The objective's per-example metric sums over the batch.</param>
/// <param name="Elapsed">Wall time of the step.</param>
public sealed record StepOutcome(double Loss, double GradNorm, long Tokens, double[] MetricSums, TimeSpan Elapsed);

/// <summary>
/// One optimizer step, the same for training runs and benchmarks: zero the gradients, accumulate them over
/// micro-batches, refuse a non-finite loss, clip, set the learning rate and apply AdamW, all inside one dispose
/// scope so no step leaves tensors behind.
/// </summary>
public sealed class OptimizerStepper : IDisposable
{
    private readonly nn.Module<Tensor, Tensor?, Tensor> model;
    private readonly ITrainingObjective objective;
    private readonly TrainingOptions options;
    private readonly List<Parameter> parameters;
    private readonly Device device;

    public OptimizerStepper(nn.Module<Tensor, Tensor?, Tensor> model, ITrainingObjective objective, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.model = model;
        this.objective = objective;
        this.options = options;
        parameters = [.. model.parameters().Where(p => p.requires_grad)];
        device = parameters.Count > 0 ? parameters[0].device : CPU;
        Optimizer = optim.AdamW(parameters, options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay);
    }

    /// <summary>The AdamW optimizer (its state is saved in checkpoints).</summary>
    public OptimizerHelper Optimizer { get; }

    /// <summary>Runs one optimizer step over the examples <paramref name="batch"/> at <paramref name="learningRate"/>.</summary>
    /// <param name="batch">Example indices of the objective's dataset.</param>
    /// <param name="learningRate">Learning rate of this step (from the schedule).</param>
    /// <param name="stepNumber">1-based step number, for the error message of a non-finite loss.</param>
    public StepOutcome Step(IReadOnlyList<int> batch, double learningRate, int stepNumber)
    {
        var clock = Stopwatch.StartNew();
        var metricSums = new double[objective.MetricCount];
        using var scope = NewDisposeScope();
        Optimizer.zero_grad();
        var loss = TrainingLoop.AccumulateGradients(model, objective, batch, options.EffectiveMicroBatchSize, device, metricSums, out var tokens);
        if (!double.IsFinite(loss))
        {
            throw new TrainingDivergedException(loss, stepNumber);
        }

        var gradNorm = GradientNorm.ClipTo(parameters, options.MaxGradNorm);
        foreach (var group in Optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
        }

        Optimizer.step();
        return new StepOutcome(loss, gradNorm, tokens, metricSums, clock.Elapsed);
    }

    public void Dispose() => Optimizer.Dispose();
}
