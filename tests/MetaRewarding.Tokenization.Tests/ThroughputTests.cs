using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace MetaRewarding.Tokenization.Tests;

/// <summary>
/// Encodes a MB of mixed text per tokenizer: checks the round trip on long input and reports throughput
/// in the test output (a figure for humans; nothing asserts on time, which depends on the machine).
/// </summary>
[Collection(ReferenceTokenizersGroup.Name)]
public sealed class ThroughputTests(ReferenceTokenizers reference, ITestOutputHelper output)
{
    [Fact]
    public void Encode_MegabyteOfMixedText_RoundTripsAndReportsThroughput()
    {
        var corpus = TestStrings.Corpus(1_000_000, seed: 2024);
        var megabytes = Encoding.UTF8.GetByteCount(corpus) / 1e6;
        foreach (var tokenizer in new ITextTokenizer[] { reference.Tokenizer, OpenAiEncodings.Gpt2, OpenAiEncodings.Cl100kBase })
        {
            var clock = Stopwatch.StartNew();
            var ids = tokenizer.Encode(corpus);
            var encodeSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var decoded = tokenizer.Decode(ids);
            var decodeSeconds = clock.Elapsed.TotalSeconds;

            Assert.Equal(corpus, decoded);
            output.WriteLine($"{tokenizer.Name}: {megabytes:F2} MB -> {ids.Length} tokens; encode {megabytes / encodeSeconds:F1} MB/s, decode {megabytes / decodeSeconds:F1} MB/s");
        }
    }
}
