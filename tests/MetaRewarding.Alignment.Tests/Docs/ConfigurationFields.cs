using System.Collections;
using System.Reflection;
using MetaRewarding.Alignment.Configuration;

namespace MetaRewarding.Alignment.Tests.Docs;

/// <summary>One field of a run configuration as a JSON author sees it.</summary>
/// <param name="Path">The README's spelling: camelCase names, <c>[i]</c> for a list element (<c>iterations[i].dpo.beta</c>).</param>
/// <param name="Type">The .NET type (nullable value types unwrapped).</param>
/// <param name="Kind">A value, an object with fields of its own, or a list of objects.</param>
/// <param name="Nullable">Whether JSON <c>null</c> is a value the type can hold.</param>
/// <param name="Defaults">Its value in the paper's configuration; one per iteration below <c>iterations[i]</c>.</param>
internal sealed record ConfigurationField(string Path, Type Type, FieldKind Kind, bool Nullable, IReadOnlyList<object?> Defaults);

internal enum FieldKind
{
    Value,
    Object,
    List,
}

/// <summary>
/// Every field of <see cref="RunConfiguration"/>, found by reflection over the records (the same records the JSON
/// reader fills), with the paper's default of each. A nested record left null in the paper's configuration
/// (<c>seedSft</c>) contributes the defaults a user gets by writing <c>{}</c>.
/// </summary>
internal static class ConfigurationFields
{
    public static IReadOnlyList<ConfigurationField> All { get; } = Collect();

    private static List<ConfigurationField> Collect()
    {
        var fields = new List<ConfigurationField>();
        Walk(typeof(RunConfiguration), "", [RunConfiguration.Paper], fields);
        return fields;
    }

    private static void Walk(Type record, string prefix, IReadOnlyList<object?> instances, List<ConfigurationField> fields)
    {
        var nullability = new NullabilityInfoContext();
        foreach (var property in record.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var path = prefix + RunConfigurationJson.Options.PropertyNamingPolicy!.ConvertName(property.Name);
            var values = instances.Select(i => i is null ? null : property.GetValue(i)).ToList();
            var underlying = System.Nullable.GetUnderlyingType(property.PropertyType);
            var type = underlying ?? property.PropertyType;
            var nullable = underlying is not null || nullability.Create(property).WriteState == NullabilityState.Nullable;
            if (IsConfigurationRecord(type))
            {
                fields.Add(new ConfigurationField(path, type, FieldKind.Object, nullable, values));
                var children = values.Select(v => v ?? Activator.CreateInstance(type)).ToList();
                Walk(type, path + ".", children, fields);
            }
            else if (type != typeof(string) && type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type))
            {
                var element = type.GetGenericArguments()[0];
                fields.Add(new ConfigurationField(path, type, FieldKind.List, nullable, values));
                var elements = values.OfType<IEnumerable>().SelectMany(list => list.Cast<object?>()).ToList();
                Walk(element, path + "[i].", elements, fields);
            }
            else
            {
                fields.Add(new ConfigurationField(path, type, FieldKind.Value, nullable, values));
            }
        }
    }

    private static bool IsConfigurationRecord(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace == typeof(RunConfiguration).Namespace;
}
