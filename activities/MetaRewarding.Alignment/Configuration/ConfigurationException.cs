namespace MetaRewarding.Alignment.Configuration;

/// <summary>A run configuration that cannot be used; <see cref="Errors"/> lists every problem found.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(IReadOnlyList<string> errors)
        : base(FormatMessage(errors))
    {
        Errors = errors;
    }

    public ConfigurationException(string message)
        : base(message)
    {
        Errors = [message];
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public ConfigurationException()
        : this("The run configuration is invalid.")
    {
    }

    /// <summary>Every problem, one message each, naming the field path, the value and what is allowed.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string FormatMessage(IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count == 1
            ? $"Invalid run configuration: {errors[0]}"
            : $"Invalid run configuration ({errors.Count} errors):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors);
    }
}
