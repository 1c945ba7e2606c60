using System.Text;

namespace MetaRewarding.Tokenization.Tests;

/// <summary>
/// Deterministic, varied test strings (fixed seeds: the same strings on every run and machine).
/// Each family aims at one part of the pre-tokenizer or BPE: whitespace runs and newlines, digit
/// grouping, contractions, punctuation runs, scripts, emoji, astral letters and digits, text
/// that spells special tokens, and long mixtures.
/// </summary>
/// <remarks>
/// Left out on purpose, because the JS reference (transformers.js in node) disagrees with
/// tiktoken and Hugging Face's Rust tokenizer there, not because ours does: U+0085 and U+FEFF
/// (JavaScript's \s differs from Unicode White_Space), "'ſ" (JS replaces the regex's (?i) by
/// [sS], missing the case-fold of U+017F), lone surrogates (not valid text), and characters
/// newer than Unicode 15 (engines on different Unicode versions classify them differently).
/// Our behaviour on the first three is pinned by unit tests in CodePointPreTokenizerTests.
/// </remarks>
public static class TestStrings
{
    private static readonly string[] Words =
    [
        "the", "The", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "Hello", "world", "HELLO",
        "tokenizer", "Meta", "Rewarding", "judge", "response", "score", "Llama", "iPhone", "naïve", "café",
        "a", "I", "x", "McDonald", "e-mail", "don", "won", "rock", "n", "roll", "self", "improvement",
    ];

    private static readonly string[] Contractions = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'T", "'RE", "'Ve", "'LL", "'D", "'M", "'x", "'", "''", "’s", "'re'", "'lll"];

    private static readonly string[] Punctuation =
    [
        ".", ",", "!", "?", "...", "?!", "--", "—", "–", ";", ":", "\"", "(", ")", "[", "]", "{", "}", "<", ">", "/", "\\", "|",
        "@", "#", "$", "%", "^", "&", "*", "+", "=", "~", "`", "_", "->", "=>", "!=", "::", "«", "»", "„", "“", "”", "¿", "¡",
        "。", "，", "、", "「", "」", "！", "？", "…", "€", "£", "¥", "©", "®", "™", "°", "±", "×", "÷", "§", "¶", "•",
    ];

    private static readonly string[] Whitespace = [" ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", "\r", " \n", "\n ", "\t\t", "\u00A0", "\u3000", "\u2028", "\u2003", "\v", "\f", " \t\n", "\n\n\n ", "    "];

    private static readonly string[] Unicode =
    [
        // Latin with accents, precomposed and with combining marks
        "é", "è", "ê", "ë", "ñ", "ü", "ö", "ø", "å", "ß", "ç", "ł", "ő", "ţ", "e\u0301", "a\u0308", "n\u0303", "o\u0302\u0323", "Å", "Ǆ", "ǅ",
        // Greek, Cyrillic, Armenian, Georgian
        "Ελληνικά", "αβγ", "Привет", "мир", "ёЁ", "Բարեւ", "ქართული",
        // CJK, Japanese kana, Korean
        "中文", "你好世界", "日本語", "ひらがな", "カタカナ", "ｶﾀｶﾅ", "한국어", "안녕하세요", "漢字かな交じり文",
        // Right-to-left: Arabic, Hebrew, with marks and Arabic-Indic digits
        "العربية", "مرحبا", "عَرَبِيّ", "עברית", "שָׁלוֹם", "٣٤٥", "۱۲۳", "\u200F", "\u200E",
        // Indic and South-East Asian scripts (combining vowel signs)
        "हिन्दी", "नमस्ते", "தமிழ்", "বাংলা", "ไทย", "สวัสดี", "ລາວ", "ខ្មែរ", "မြန်မာ",
        // Numbers that are not ASCII digits: fullwidth, superscript, fractions, roman numerals
        "１２３", "²³", "½", "¾", "Ⅻ", "ⅷ", "①", "⑩", "߁", "𝟎𝟏𝟐", "𝟗",
        // Emoji: plain, skin tone, ZWJ sequences, flags, keycaps, variation selectors
        "😀", "😂", "👍", "👍🏽", "👨‍👩‍👧", "🏳️‍🌈", "🇫🇷", "🇯🇵", "1️⃣", "#️⃣", "❤️", "✨", "🤖", "🦙", "🎉🎉",
        // Astral letters (outside the BMP): math alphanumerics, Gothic, CJK extension B, Deseret
        "𝐀𝐁𝐂", "𝒳", "𝔘𝔫𝔦", "𐌰𐌱", "𠀀", "𠜎𠜱", "𐐀𐐨",
        // Invisible and format characters
        "\u200B", "\u200D", "\u00AD", "\u2060", "\u034F",
    ];

    private static readonly string[] SpecialLooking =
    [
        "<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>",
        "<|start_header_id|>user<|end_header_id|>\n\n", "<|reserved_special_token_5|>", "<|reserved_special_token_250|>",
        "<|eot_id", "eot_id|>", "<|not_a_token|>", "< |eot_id| >", "<|EOT_ID|>", "<||>", "<|endoftext|>", "<|eot_id|><|eot_id|>",
        "<s>", "</s>", "[INST]", "<<SYS>>",
    ];

    /// <summary>The code points the random "soup" strings draw from: every class the patterns distinguish.</summary>
    private static readonly string[] SoupPool = BuildSoupPool();

    /// <summary>About <paramref name="count"/> strings from all families (set <paramref name="includeSpecialLooking"/> false for chat content).</summary>
    public static List<string> Generate(int count, int seed, bool includeSpecialLooking = true)
    {
        var random = new Random(seed);
        var strings = new List<string>(count);
        var families = includeSpecialLooking ? 10 : 9;
        for (var i = 0; i < count; i++)
        {
            var family = i % families;
            strings.Add(family switch
            {
                0 => Sentence(random),
                1 => WhitespaceHeavy(random),
                2 => Digits(random),
                3 => ContractionHeavy(random),
                4 => PunctuationHeavy(random),
                5 => UnicodeHeavy(random),
                6 => Soup(random, random.Next(1, 12)),
                7 => Soup(random, random.Next(12, 60)),
                8 => i % 90 == 8 ? Long(random) : Mixed(random),
                _ => SpecialLookingText(random),
            });
        }

        return strings;
    }

    /// <summary>A few MB of mixed text for throughput measurements.</summary>
    public static string Corpus(int approximateChars, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder(approximateChars + 1000);
        while (text.Length < approximateChars)
        {
            text.Append(random.Next(10) switch
            {
                < 6 => Sentence(random),
                6 => Digits(random),
                7 => UnicodeHeavy(random),
                8 => PunctuationHeavy(random),
                _ => WhitespaceHeavy(random),
            });
            text.Append(random.Next(4) == 0 ? "\n\n" : " ");
        }

        return text.ToString();
    }

    public static string Sentence(Random random)
    {
        var text = new StringBuilder();
        var words = random.Next(1, 16);
        for (var w = 0; w < words; w++)
        {
            if (w > 0)
            {
                text.Append(' ');
            }

            text.Append(Pick(random, Words));
            if (random.Next(6) == 0)
            {
                text.Append(Pick(random, Punctuation));
            }
        }

        return text.Append(random.Next(3) == 0 ? "." : string.Empty).ToString();
    }

    private static string WhitespaceHeavy(Random random)
    {
        var text = new StringBuilder();
        var parts = random.Next(1, 10);
        for (var p = 0; p < parts; p++)
        {
            text.Append(Pick(random, Whitespace));
            if (random.Next(3) > 0)
            {
                text.Append(random.Next(4) switch { 0 => Pick(random, Punctuation), 1 => Pick(random, Unicode), 2 => random.Next(1000).ToString(), _ => Pick(random, Words) });
            }
        }

        return text.ToString();
    }

    private static string Digits(Random random)
    {
        var text = new StringBuilder();
        var parts = random.Next(1, 6);
        for (var p = 0; p < parts; p++)
        {
            var length = random.Next(1, 21);
            for (var d = 0; d < length; d++)
            {
                text.Append((char)('0' + random.Next(10)));
            }

            text.Append(random.Next(8) switch
            {
                0 => " ",
                1 => ".",
                2 => ",",
                3 => Pick(random, Words),
                4 => " " + Pick(random, Words) + " ",
                5 => "\n",
                6 => "-",
                _ => string.Empty,
            });
        }

        return text.ToString();
    }

    private static string ContractionHeavy(Random random)
    {
        var text = new StringBuilder();
        var parts = random.Next(1, 8);
        for (var p = 0; p < parts; p++)
        {
            text.Append(random.Next(4) switch { 0 => " ", 1 => string.Empty, 2 => "\n", _ => " " + Pick(random, Words) });
            text.Append(Pick(random, Words));
            text.Append(Pick(random, Contractions));
            if (random.Next(3) == 0)
            {
                text.Append(Pick(random, Words));
            }
        }

        return text.ToString();
    }

    private static string PunctuationHeavy(Random random)
    {
        var text = new StringBuilder();
        var parts = random.Next(1, 10);
        for (var p = 0; p < parts; p++)
        {
            text.Append(Pick(random, Punctuation));
            text.Append(random.Next(5) switch { 0 => " ", 1 => "\n", 2 => "\r\n\n", 3 => Pick(random, Words), _ => string.Empty });
        }

        return text.ToString();
    }

    private static string UnicodeHeavy(Random random)
    {
        var text = new StringBuilder();
        var parts = random.Next(1, 8);
        for (var p = 0; p < parts; p++)
        {
            text.Append(Pick(random, Unicode));
            text.Append(random.Next(5) switch { 0 => " ", 1 => Pick(random, Words), 2 => Pick(random, Punctuation), 3 => random.Next(100).ToString(), _ => string.Empty });
        }

        return text.ToString();
    }

    private static string SpecialLookingText(Random random)
    {
        var text = new StringBuilder();
        var parts = random.Next(1, 5);
        for (var p = 0; p < parts; p++)
        {
            text.Append(random.Next(3) switch { 0 => Sentence(random), 1 => " ", _ => string.Empty });
            text.Append(Pick(random, SpecialLooking));
        }

        return text.ToString();
    }

    private static string Mixed(Random random)
    {
        var text = new StringBuilder();
        var parts = random.Next(2, 8);
        for (var p = 0; p < parts; p++)
        {
            text.Append(random.Next(6) switch
            {
                0 => Sentence(random),
                1 => Digits(random),
                2 => ContractionHeavy(random),
                3 => UnicodeHeavy(random),
                4 => PunctuationHeavy(random),
                _ => WhitespaceHeavy(random),
            });
        }

        return text.ToString();
    }

    private static string Long(Random random)
    {
        var text = new StringBuilder();
        var target = random.Next(2000, 12000);
        while (text.Length < target)
        {
            text.Append(Mixed(random));
            text.Append(random.Next(3) == 0 ? "\n\n" : " ");
        }

        return text.ToString();
    }

    /// <summary>Random code points from the pool: dense coverage of class boundaries.</summary>
    public static string Soup(Random random, int length)
    {
        var text = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            text.Append(Pick(random, SoupPool));
        }

        return text.ToString();
    }

    private static string[] BuildSoupPool()
    {
        var pool = new List<string>();
        for (var c = 0x20; c < 0x7F; c++)
        {
            pool.Add(((char)c).ToString());
        }

        pool.AddRange(["'", "'", "'", "s", "t", "re", "ve", "ll", "d", "m", "S", "T"]); // contractions are likely
        pool.AddRange([" ", " ", " ", "\n", "\n", "\r", "\t", "\v", "\f", "\u00A0", "\u2000", "\u200A", "\u2028", "\u2029", "\u202F", "\u205F", "\u3000", "\u1680"]);
        pool.AddRange(["é", "ß", "Ω", "ж", "中", "の", "한", "ع", "ש", "ह", "\u0301", "\u0308", "\u093F", "\u0E31", "ǅ", "ʰ", "ー"]); // letters and marks
        pool.AddRange(["٣", "１", "²", "½", "Ⅻ", "①", "𝟎", "𝟗", "7"]); // numbers (Nd, No, Nl; BMP and astral)
        pool.AddRange(["😀", "👍", "🏽", "\u200D", "🇫", "🇷", "\uFE0F", "𝐀", "𝒳", "𠀀", "𐌰"]); // astral symbols and letters, joiners
        pool.AddRange(["€", "©", "。", "「", "—", "…", "\u200B", "\u00AD", "¡", "¿"]); // symbols, punctuation, format
        return [.. pool];
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];
}
