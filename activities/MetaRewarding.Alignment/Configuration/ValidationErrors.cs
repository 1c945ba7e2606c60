using System.Globalization;
using System.Text.Json;

namespace MetaRewarding.Alignment.Configuration;

/// <summary>
/// Collects validation problems as messages of one shape: <c>{path} must be {rule}, got {value}</c>,
/// e.g. <c>iterations[2].actorPairs.rho must be in [0, 0.5], got 1.3</c>.
/// </summary>
internal sealed class ValidationErrors
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Items => _errors;

    public void Add(string message) => _errors.Add(message);

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>lower ≤ value ≤ upper (inclusive bounds unless told otherwise); NaN always fails.</summary>
    public void InRange(string path, double value, double lower, double upper, bool lowerOpen = false, bool upperOpen = false)
    {
        var aboveLower = lowerOpen ? value > lower : value >= lower;
        var belowUpper = upperOpen ? value < upper : value <= upper;
        if (!(aboveLower && belowUpper))
        {
            var range = $"{(lowerOpen ? "(" : "[")}{Format(lower)}, {Format(upper)}{(upperOpen ? ")" : "]")}";
            _errors.Add($"{path} must be in {range}, got {Format(value)}");
        }
    }

    public void AtLeast(string path, int value, int minimum, string? why = null)
    {
        if (value < minimum)
        {
            _errors.Add($"{path} must be >= {minimum}{(why is null ? "" : $" ({why})")}, got {value}");
        }
    }

    public void PositiveFinite(string path, double value)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            _errors.Add($"{path} must be a finite number > 0, got {Format(value)}");
        }
    }

    public bool NotNull(string path, object? value)
    {
        if (value is null)
        {
            _errors.Add($"{path} must not be null; leave the field out to use its default");
            return false;
        }

        return true;
    }

    /// <summary>The value is one of <paramref name="allowed"/>, named as JSON spells them (camelCase).</summary>
    public void OneOf<TEnum>(string path, TEnum value, IReadOnlyList<TEnum> allowed, string why)
        where TEnum : struct, Enum
    {
        if (!allowed.Contains(value))
        {
            var names = string.Join(", ", allowed.Select(a => JsonNamingPolicy.CamelCase.ConvertName(a.ToString())));
            var got = Enum.IsDefined(value) ? JsonNamingPolicy.CamelCase.ConvertName(value.ToString()) : value.ToString();
            _errors.Add($"{path} must be one of {names} ({why}), got {got}");
        }
    }

    public void Defined<TEnum>(string path, TEnum value)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            _errors.Add($"{path} must be one of {string.Join(", ", Enum.GetNames<TEnum>())}, got {value}");
        }
    }
}
