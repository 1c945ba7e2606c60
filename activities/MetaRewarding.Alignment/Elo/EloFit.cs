namespace MetaRewarding.Alignment.Elo;

/// <summary>
/// The result of a Bradley–Terry fit: one rating per judgment, the Newton iterations it took, and the largest
/// gradient component left (how far from the exact optimum it stopped).
/// </summary>
public sealed record EloFit(double[] Ratings, int Iterations, double GradientNorm, bool Converged);
