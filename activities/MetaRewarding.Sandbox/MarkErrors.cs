namespace MetaRewarding.Sandbox;

/// <summary>How far a judgment's marks are from the truth: the quantity a meta-judgment's winner minimises.</summary>
public static class MarkErrors
{
    /// <summary>The number of positions where <paramref name="marks"/> and <paramref name="truth"/> differ.</summary>
    public static int Count(IReadOnlyList<bool> marks, IReadOnlyList<bool> truth)
    {
        ArgumentNullException.ThrowIfNull(marks);
        ArgumentNullException.ThrowIfNull(truth);
        if (marks.Count != truth.Count)
        {
            throw new ArgumentException($"Cannot compare {marks.Count} marks with {truth.Count}.", nameof(marks));
        }

        var errors = 0;
        for (var i = 0; i < marks.Count; i++)
        {
            if (marks[i] != truth[i])
            {
                errors++;
            }
        }

        return errors;
    }
}
