namespace MetaRewarding.Activities.Model.OpenAi;

/// <summary>
/// The generation server could not answer for now (down, restarting, overloaded, too slow) even after the request's
/// retries: a retryable failure, so Temporal retries the activity with backoff, and the new attempt resumes after the
/// samples already finished. The message names the endpoint and what was seen.
/// </summary>
public sealed class GenerationServerException : Exception
{
    public GenerationServerException(string message)
        : base(message)
    {
    }

    public GenerationServerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GenerationServerException()
        : this("the generation server did not answer")
    {
    }
}
