using Google.Protobuf;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>
/// Temporal's blob size limit: the real server refuses payloads over 2 MB (per request or command). The
/// in-memory server enforces it too, so a design that passes big data through workflows fails in CI
/// rather than on the first real deployment. Pass artifact references instead.
/// </summary>
internal static class PayloadLimits
{
    public const int MaximumBytes = 2 * 1024 * 1024;

    /// <summary>Null when within the limit; otherwise a message naming what is too big and the fix.</summary>
    public static string? Violation(IMessage? payload, string what)
    {
        var size = payload?.CalculateSize() ?? 0;
        return size <= MaximumBytes
            ? null
            : $"{what} is {size:N0} bytes, over Temporal's {MaximumBytes:N0}-byte payload limit: pass a reference to stored data (an artifact URI) instead.";
    }

    public static void Require(IMessage? payload, string what)
    {
        if (Violation(payload, what) is { } message)
        {
            throw ServerErrors.InvalidArgument(message);
        }
    }
}
