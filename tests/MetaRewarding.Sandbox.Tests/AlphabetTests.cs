using MetaRewarding.Sandbox.Sft;
using MetaRewarding.Sandbox.Tasks;
using MetaRewarding.Tokenization;

namespace MetaRewarding.Sandbox.Tests;

public class AlphabetTests
{
    [Fact]
    public void Symbols_AreCoveredByTheDemosCharacterTokenizer()
    {
        var tokenizer = CharacterTokenizer.Create();
        Assert.All(SandboxAlphabet.Symbols, c => Assert.Contains(c, CharacterTokenizer.SandboxAlphabet));
        Assert.Equal(SandboxAlphabet.Symbols.Length, tokenizer.Encode(SandboxAlphabet.Symbols).Length);
    }

    [Fact]
    public void Symbols_AreExactlyTheSymbolsTheDataUses()
    {
        // 2,000 examples per family cover every symbol (the rarest, 'k' of " ok", appears in ~1% of actor
        // demonstrations); the set must be exact: nothing produced outside it, nothing in it unused.
        var used = new HashSet<char>();
        foreach (var family in Enum.GetValues<TaskFamily>())
        {
            var data = new SftDataset(SandboxSettings.For(family));
            foreach (var example in data.Examples().Take(2000))
            {
                used.UnionWith(example.Prompt);
                used.UnionWith(example.Completion);
            }
        }

        Assert.Equal(SandboxAlphabet.Symbols.Order().ToArray(), used.Order().ToArray());
        Assert.Equal(SandboxAlphabet.Symbols, new string([.. SandboxAlphabet.Symbols.Order()]));
    }
}
