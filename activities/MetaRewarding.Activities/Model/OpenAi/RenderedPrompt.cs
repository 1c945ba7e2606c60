using System.Text.Json.Nodes;

namespace MetaRewarding.Activities.Model.OpenAi;

/// <summary>A request's prompt as sent, and whether it is too long for the checkpoint's context (then it is not sent).</summary>
internal sealed record RenderedPrompt(JsonNode Prompt, bool OverContext);
