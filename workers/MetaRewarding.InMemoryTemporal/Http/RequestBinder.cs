using System.Collections;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace MetaRewarding.InMemoryTemporal.Http;

/// <summary>
/// Builds a request message from an HTTP request the way grpc-gateway does: the JSON body (proto3 JSON) fills
/// the whole request (<c>body: "*"</c>) or one field; query parameters fill the other fields when the body is
/// not the whole request (dotted paths, JSON or proto field names; unknown names are ignored, as grpc-gateway
/// does); path variables are set last and win. Malformed input throws <see cref="FormatException"/> or
/// <see cref="InvalidJsonException"/> naming the field, which the gateway answers with 400.
/// </summary>
internal static class RequestBinder
{
    public static IMessage Bind(
        GatewayRoute route,
        string body,
        IEnumerable<KeyValuePair<string, string[]>> query,
        IEnumerable<KeyValuePair<string, string>> pathVariables,
        JsonParser parser)
    {
        var type = route.Method.InputType;
        var request = NewMessage(type);
        if (route.Body == "*")
        {
            if (!string.IsNullOrWhiteSpace(body))
            {
                request = parser.Parse(body, type);
            }
        }
        else
        {
            if (route.Body.Length > 0 && !string.IsNullOrWhiteSpace(body))
            {
                var field = type.FindFieldByName(route.Body)
                    ?? throw new InvalidOperationException($"{route.MethodName}: body field {route.Body} is not in {type.FullName}");
                field.Accessor.SetValue(request, parser.Parse(body, field.MessageType));
            }
            var pathFields = pathVariables.Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var (name, values) in query)
            {
                if (!pathFields.Contains(name) && !(route.Body.Length > 0 && name.Split('.')[0] == route.Body))
                {
                    Set(request, name, values, ignoreUnknown: true);
                }
            }
        }
        foreach (var (name, value) in pathVariables)
        {
            Set(request, name, [value], ignoreUnknown: false);
        }
        return request;
    }

    private static IMessage NewMessage(MessageDescriptor type) => type.Parser.ParseFrom(ByteString.Empty);

    private static void Set(IMessage message, string fieldPath, string[] values, bool ignoreUnknown)
    {
        var names = fieldPath.Split('.');
        var target = message;
        for (var i = 0; i < names.Length; i++)
        {
            var field = Find(target.Descriptor, names[i]);
            if (field is null)
            {
                if (ignoreUnknown)
                {
                    return;
                }
                throw new InvalidOperationException($"{target.Descriptor.FullName} has no field {names[i]} (from {fieldPath})");
            }
            if (i < names.Length - 1)
            {
                if (field.FieldType != FieldType.Message || field.IsRepeated || field.IsMap)
                {
                    throw new FormatException($"parameter {fieldPath}: {field.Name} is not a message field, so it has no field {names[i + 1]}");
                }
                if (field.Accessor.GetValue(target) is not IMessage child)
                {
                    child = NewMessage(field.MessageType);
                    field.Accessor.SetValue(target, child);
                }
                target = child;
                continue;
            }
            if (field.IsMap)
            {
                throw new FormatException($"parameter {fieldPath}: map fields cannot be set from the URL; send them in the body");
            }
            if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(target);
                foreach (var value in values)
                {
                    list.Add(Convert(field, value, fieldPath));
                }
            }
            else if (values.Length > 0)
            {
                field.Accessor.SetValue(target, Convert(field, values[^1], fieldPath));
            }
        }
    }

    private static FieldDescriptor? Find(MessageDescriptor type, string name) =>
        type.FindFieldByName(name) ?? type.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == name);

    private static object Convert(FieldDescriptor field, string value, string fieldPath)
    {
        try
        {
            return field.FieldType switch
            {
                FieldType.String => value,
                FieldType.Bool => ParseBool(value),
                FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => int.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => long.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                FieldType.UInt32 or FieldType.Fixed32 => uint.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture),
                FieldType.UInt64 or FieldType.Fixed64 => ulong.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture),
                FieldType.Float => float.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
                FieldType.Double => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
                FieldType.Bytes => ByteString.FromBase64(StandardBase64(value)),
                FieldType.Enum => ParseEnum(field, value),
                // Well-known types travel as their JSON string form (Timestamp, Duration, FieldMask, wrappers).
                FieldType.Message => JsonParser.Default.Parse(JsonSerializer.Serialize(value), field.MessageType),
                _ => throw new FormatException($"fields of type {field.FieldType} cannot be set from the URL"),
            };
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or InvalidProtocolBufferException or InvalidJsonException)
        {
            throw new FormatException($"parameter {fieldPath}: '{value}' is not a valid {Describe(field)} ({ex.Message})", ex);
        }
    }

    private static bool ParseBool(string value) => value switch
    {
        "true" or "True" or "TRUE" or "t" or "T" or "1" => true,
        "false" or "False" or "FALSE" or "f" or "F" or "0" => false,
        _ => throw new FormatException("expected true or false"),
    };

    private static object ParseEnum(FieldDescriptor field, string value)
    {
        var number = int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n
            : field.EnumType.FindValueByName(value)?.Number
              ?? throw new FormatException($"expected one of {string.Join(", ", field.EnumType.Values.Select(v => v.Name))} or its number");
        return Enum.ToObject(field.EnumType.ClrType, number);
    }

    private static string StandardBase64(string value)
    {
        var standard = value.Replace('-', '+').Replace('_', '/');
        return standard.PadRight(standard.Length + ((4 - (standard.Length % 4)) % 4), '=');
    }

    private static string Describe(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Enum => field.EnumType.Name,
        FieldType.Message => field.MessageType.Name,
        _ => field.FieldType.ToString().ToLowerInvariant(),
    };
}
