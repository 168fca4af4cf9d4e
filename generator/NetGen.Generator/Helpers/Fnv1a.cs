using System.Text;

namespace NetGen.Generator.Helpers;

/// <summary>64-bit FNV-1a, chosen because it is tiny, stable across runtimes and easy to recompute anywhere.</summary>
internal static class Fnv1a
{
    public static ulong Hash64(string text)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 0x100000001B3UL);
        }

        return hash;
    }
}
