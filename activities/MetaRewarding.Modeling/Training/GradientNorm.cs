using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Training;

/// <summary>Global L2 norm of the gradients, and clipping to a maximum norm (as torch.nn.utils.clip_grad_norm_).</summary>
public static class GradientNorm
{
    /// <summary>
    /// √(Σ‖g‖²) over every parameter that has a gradient: one fp32 norm per parameter (a reduction, no copy of the
    /// gradient), then the norm of those norms in fp64, as torch.nn.utils.clip_grad_norm_ does.
    /// </summary>
    public static double Total(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var scope = NewDisposeScope();
        var norms = new List<Tensor>();
        foreach (var parameter in parameters)
        {
            var grad = parameter.grad;
            if (grad is not null)
            {
                // Half-precision gradients are widened first: a bf16 norm has only 8 bits of mantissa.
                var precise = grad.dtype is ScalarType.Float32 or ScalarType.Float64 ? grad : grad.to(ScalarType.Float32);
                norms.Add(linalg.vector_norm(precise));
            }
        }

        return norms.Count == 0 ? 0 : stack(norms).to(ScalarType.Float64).square().sum().sqrt().item<double>();
    }

    /// <summary>
    /// Scales every gradient by min(1, maxNorm / (norm + 1e-6)) and returns the norm before clipping.
    /// The 1e-6 matches PyTorch, so clipped runs agree with a PyTorch reference.
    /// </summary>
    public static double ClipTo(IReadOnlyList<Parameter> parameters, double? maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var norm = Total(parameters);
        var coefficient = ClipCoefficient(norm, maxNorm);
        if (coefficient < 1)
        {
            using var noGrad = no_grad();
            foreach (var parameter in parameters)
            {
                using var grad = parameter.grad;
                grad?.mul_(coefficient);
            }
        }

        return norm;
    }

    /// <summary>
    /// What clipping multiplies every gradient by: min(1, maxNorm / (norm + 1e-6)); 1 without a maximum or for a
    /// non-finite norm. The 1e-6 matches PyTorch, so clipped runs agree with a PyTorch reference.
    /// </summary>
    public static double ClipCoefficient(double norm, double? maxNorm) =>
        maxNorm is null || !double.IsFinite(norm) ? 1.0 : Math.Min(1.0, maxNorm.Value / (norm + 1e-6));
}
