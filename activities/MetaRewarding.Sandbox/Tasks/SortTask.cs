namespace MetaRewarding.Sandbox.Tasks;

/// <summary><c>S 3142</c> → <c>A: 1234</c>: sort a string of digits ascending.</summary>
public sealed record SortTask : TransformTask
{
    public SortTask(string input)
        : base(input, SandboxAlphabet.Digits)
    {
    }

    public override TaskFamily Family => TaskFamily.Sort;

    public override string Prompt => "S " + Input;

    public override string Expected => new([.. Input.Order()]);

    /// <inheritdoc/>
    public override string ToString() => Prompt;
}
