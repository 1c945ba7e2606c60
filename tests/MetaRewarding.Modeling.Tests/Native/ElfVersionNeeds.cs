using System.Text;

namespace MetaRewarding.Modeling.Tests.Native;

/// <summary>
/// Reads the version requirements (.gnu.version_r: Verneed/Vernaux) of a 64-bit little-endian ELF shared library:
/// each required version name with its flags. An independent reader for checking what the build's patch did.
/// </summary>
internal static class ElfVersionNeeds
{
    public const ushort WeakFlag = 0x2;

    public static Dictionary<string, ushort> Read(string path)
    {
        var elf = File.ReadAllBytes(path);
        var sectionHeaders = BitConverter.ToInt64(elf, 0x28);
        int entrySize = BitConverter.ToUInt16(elf, 0x3A), count = BitConverter.ToUInt16(elf, 0x3C);
        var result = new Dictionary<string, ushort>(StringComparer.Ordinal);
        for (var s = 0; s < count; s++)
        {
            var header = (int)(sectionHeaders + s * entrySize);
            if (BitConverter.ToUInt32(elf, header + 4) != 0x6ffffffe)
            {
                continue; // not SHT_GNU_verneed
            }
            var strings = BitConverter.ToInt64(elf, (int)(sectionHeaders + BitConverter.ToUInt32(elf, header + 40) * entrySize) + 24);
            var need = (int)BitConverter.ToInt64(elf, header + 24);
            for (var n = 0; n < BitConverter.ToUInt32(elf, header + 44); n++)
            {
                var aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (var a = 0; a < BitConverter.ToUInt16(elf, need + 2); a++)
                {
                    var nameStart = (int)(strings + BitConverter.ToUInt32(elf, aux + 8));
                    var nameEnd = Array.IndexOf(elf, (byte)0, nameStart);
                    result[Encoding.ASCII.GetString(elf, nameStart, nameEnd - nameStart)] = BitConverter.ToUInt16(elf, aux + 4);
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                need += (int)BitConverter.ToUInt32(elf, need + 12);
            }
        }
        return result;
    }
}
