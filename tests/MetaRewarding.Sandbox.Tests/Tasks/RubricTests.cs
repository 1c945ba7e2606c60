using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Tests.Tasks;

public class RubricTests
{
    // Marks are written as +/- strings in criterion order so each case reads like the judgment it should earn.
    private static string MarksOf(ISandboxTask task, string response) =>
        new([.. Rubric.Marks(task, response).Select(m => m ? '+' : '-')]);

    // Criteria: format, length, start, contains, no repeat.
    [Theory]
    [InlineData("A: cabed", "+++++")]
    [InlineData("A: cebad", "+++++")] // another valid answer: many answers are right
    [InlineData("cabed", "-++++")] // no "A: " prefix costs the format mark only
    [InlineData("A: cabed ok", "-++++")] // suffix
    [InlineData("A: cabed\n", "-++++")] // a trailing newline is extra text
    [InlineData("A: cabe", "+-+++")] // length 4
    [InlineData("A: abced", "++-++")] // starts with a
    [InlineData("A: cabdf", "+++-+")] // no e
    [InlineData("A: cabce", "++++-")] // c twice
    [InlineData("A: cacac", "+++--")] // no e, repeats
    [InlineData("A: cabeX", "-++++")] // X is not in a–h: format lost, content checked on the token
    [InlineData("A: ", "-----")] // empty answer
    [InlineData("", "-----")]
    [InlineData("A: ccccccc", "+-+--")]
    [InlineData("hello world", "-+-+-")] // token "hello": length 5, starts with h, has e, l repeats
    public void Marks_ConstraintC5ce_MatchesHandCheckedMarks(string response, string expected)
    {
        Assert.Equal(expected, MarksOf(new ConstraintTask(5, 'c', 'e'), response));
    }

    // Criteria: format, length, first, at least half the positions right, exact.
    [Theory]
    [InlineData("abcde", "A: edcba", "+++++")]
    [InlineData("abcde", "A: edcab", "++++-")] // e, d, c right: 3 of 5 is at least half
    [InlineData("abcde", "A: eabcd", "+++--")] // only e right: 1 of 5
    [InlineData("abcde", "A: abcde", "++---")] // only the middle c right
    [InlineData("abcd", "dcba", "-++++")]
    [InlineData("abcd", "A: dcb", "+-++-")] // 3 of 4 right, too short
    [InlineData("abcd", "A: xdcba", "-----")] // x is not a letter of a–h; shifted, nothing lines up
    public void Marks_Reverse_MatchesHandCheckedMarks(string input, string response, string expected)
    {
        Assert.Equal(expected, MarksOf(new ReverseTask(input), response));
    }

    [Theory]
    [InlineData("3142", "A: 1234", "+++++")]
    [InlineData("3142", "A: 1243", "++++-")] // 2 of 4 right is exactly half
    [InlineData("3142", "A: 2134", "++-+-")] // positions 3 and 4 right, first wrong
    [InlineData("3142", "A: 12345", "+-++-")] // too long; the first 4 right
    [InlineData("3142", "A: 12a4", "-+++-")] // 'a' is not a digit; 3 of 4 right
    public void Marks_Sort_MatchesHandCheckedMarks(string input, string response, string expected)
    {
        Assert.Equal(expected, MarksOf(new SortTask(input), response));
    }

    [Fact]
    public void Score_ConstraintResponses_CountsMetCriteria()
    {
        var task = new ConstraintTask(5, 'c', 'e');
        Assert.Equal(5, Rubric.Score(task, "A: cabed"));
        Assert.Equal(3, Rubric.Score(task, "A: cacac"));
        Assert.True(Rubric.IsCorrect(task, "A: cabed"));
        Assert.False(Rubric.IsCorrect(task, "cabed"));
    }

    [Fact]
    public void Prompt_EachFamily_IsTheCompactForm()
    {
        Assert.Equal("C 5 c e", new ConstraintTask(5, 'c', 'e').Prompt);
        Assert.Equal("R abcde", new ReverseTask("abcde").Prompt);
        Assert.Equal("S 3142", new SortTask("3142").Prompt);
        Assert.Equal("edcba", new ReverseTask("abcde").Expected);
        Assert.Equal("1234", new SortTask("3142").Expected);
    }

    [Fact]
    public void Constructor_InvalidConstraint_ThrowsNamingTheProblem()
    {
        Assert.Contains("must differ", Assert.Throws<ArgumentException>(() => new ConstraintTask(5, 'c', 'c')).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConstraintTask(9, 'a', 'b'));
        Assert.Contains("abcdefgh", Assert.Throws<ArgumentException>(() => new ConstraintTask(4, 'z', 'b')).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new SortTask("12a"));
    }
}
