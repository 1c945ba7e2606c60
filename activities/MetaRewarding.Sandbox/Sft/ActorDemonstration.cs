using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Sft;

/// <summary>An actor demonstration and how it was made imperfect (content errors break criteria; a format error breaks the format mark).</summary>
public sealed record ActorDemonstration(ISandboxTask Task, string Response, int ContentErrors, bool FormatError);
