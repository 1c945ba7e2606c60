namespace MetaRewarding.Tokenization;

/// <summary>
/// GPT-2's reversible byte ↔ printable-character mapping ("bytes_to_unicode"), in which the
/// byte-level vocabularies of tokenizer.json files are spelled: printable Latin-1 bytes stand
/// for themselves, the other 68 bytes for U+0100 onward, in byte order.
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] CharByByte = BuildCharByByte();
    private static readonly Dictionary<char, byte> ByteByChar = BuildByteByChar();

    public static char ToChar(byte value) => CharByByte[value];

    /// <summary>The bytes a vocabulary entry stands for; false when it has a character outside the alphabet.</summary>
    public static bool TryToBytes(string token, out byte[] bytes)
    {
        bytes = new byte[token.Length];
        for (var i = 0; i < token.Length; i++)
        {
            if (!ByteByChar.TryGetValue(token[i], out bytes[i]))
            {
                return false;
            }
        }

        return true;
    }

    public static string ToToken(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = CharByByte[bytes[i]];
        }

        return new string(chars);
    }

    private static char[] BuildCharByByte()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }

        return map;
    }

    private static Dictionary<char, byte> BuildByteByChar()
    {
        var map = new Dictionary<char, byte>(256);
        for (var b = 0; b < 256; b++)
        {
            map[CharByByte[b]] = (byte)b;
        }

        return map;
    }
}
