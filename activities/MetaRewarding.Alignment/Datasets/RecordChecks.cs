namespace MetaRewarding.Alignment.Datasets;

internal static class RecordChecks
{
    /// <summary>The first field whose value is empty, as a problem message; null when all have text.</summary>
    public static string? NonEmpty(params ReadOnlySpan<(string Name, string Value)> fields)
    {
        foreach (var (name, value) in fields)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return $"field '{name}' is empty";
            }
        }

        return null;
    }
}
