using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Llama;

/// <summary>
/// Rotary position embedding (RoPE) with Hugging Face's "rotate half" layout: the first and second halves of each
/// head are the two coordinates of a rotated pair. Inverse frequencies are computed once, in fp32 like transformers.
/// </summary>
internal sealed class RotaryEmbedding
{
    private readonly float[] inverseFrequencies;

    public RotaryEmbedding(LlamaConfig config)
    {
        inverseFrequencies = ComputeInverseFrequencies(config);
    }

    public IReadOnlyList<float> InverseFrequencies => inverseFrequencies;

    /// <summary>cos and sin for <paramref name="positionIds"/> [B, T], shaped [B, 1, T, headDim] in <paramref name="dtype"/>.</summary>
    public (Tensor Cos, Tensor Sin) CosSin(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var invFreq = tensor(inverseFrequencies, device: positionIds.device);
        // [B, T, 1] * [D/2] -> [B, T, D/2]; the same products as transformers' (inv_freq @ positions) in fp32.
        var freqs = positionIds.to_type(ScalarType.Float32).unsqueeze(-1) * invFreq;
        var angles = cat([freqs, freqs], -1).unsqueeze(1);
        var cos = angles.cos().to_type(dtype);
        var sin = angles.sin().to_type(dtype);
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    /// <summary>x * cos + rotate_half(x) * sin, with rotate_half(x) = cat(-x2, x1).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half);
        var x2 = x.narrow(-1, half, half);
        var rotated = cat([x2.neg(), x1], -1);
        return (x * cos + rotated * sin).MoveToOuterDisposeScope();
    }

    private static float[] ComputeInverseFrequencies(LlamaConfig config)
    {
        var dim = config.HeadDim;
        var theta = (float)config.RopeTheta;
        var inv = new float[dim / 2];
        for (var i = 0; i < inv.Length; i++)
        {
            inv[i] = 1.0f / MathF.Pow(theta, 2 * i / (float)dim);
        }
        if (config.RopeScaling is { RopeType: RopeScaling.Llama3Type } s)
        {
            ApplyLlama3Scaling(inv, s);
        }
        return inv;
    }

    /// <summary>
    /// Llama 3.1's scaling: long wavelengths (low frequencies) are slowed down by <c>factor</c>, short ones kept,
    /// and the band in between is interpolated smoothly.
    /// </summary>
    private static void ApplyLlama3Scaling(float[] inv, RopeScaling s)
    {
        var factor = (float)s.Factor;
        var low = (float)s.LowFreqFactor;
        var high = (float)s.HighFreqFactor;
        float oldContext = s.OriginalMaxPositionEmbeddings;
        var lowFreqWavelength = oldContext / low;
        var highFreqWavelength = oldContext / high;
        for (var i = 0; i < inv.Length; i++)
        {
            var wavelength = 2 * MathF.PI / inv[i];
            var scaled = wavelength > lowFreqWavelength ? inv[i] / factor : inv[i];
            var isMedium = !(wavelength < highFreqWavelength) && !(wavelength > lowFreqWavelength);
            if (isMedium)
            {
                var smooth = (oldContext / wavelength - low) / (high - low);
                scaled = (1 - smooth) * scaled / factor + smooth * scaled;
            }
            inv[i] = scaled;
        }
    }
}
