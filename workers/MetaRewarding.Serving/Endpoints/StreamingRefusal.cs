using MetaRewarding.Serving.Protocol;

namespace MetaRewarding.Serving.Endpoints;

/// <summary>Streaming (server-sent events) is not implemented: a request asking for it is refused, never answered whole.</summary>
internal static class StreamingRefusal
{
    public static void ThrowIfStreaming(SamplingParameters parameters)
    {
        if (parameters.Stream)
        {
            throw OpenAiError.BadParameter("stream", "stream: true is not supported by this server (no server-sent events); send stream: false or leave it out.");
        }
    }
}
