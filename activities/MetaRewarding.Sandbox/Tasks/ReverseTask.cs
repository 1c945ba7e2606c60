namespace MetaRewarding.Sandbox.Tasks;

/// <summary><c>R abcde</c> → <c>A: edcba</c>: reverse a string over a–h.</summary>
public sealed record ReverseTask : TransformTask
{
    public ReverseTask(string input)
        : base(input, SandboxAlphabet.Letters)
    {
    }

    public override TaskFamily Family => TaskFamily.Reverse;

    public override string Prompt => "R " + Input;

    public override string Expected => new([.. Input.Reverse()]);

    /// <inheritdoc/>
    public override string ToString() => Prompt;
}
