namespace MoeGrains.Model.Routing;

/// <summary>
/// The SplitMix64 finaliser (Steele, Lea and Flood 2014; the seeding generator of xoshiro): a fixed, platform- and
/// process-independent 64-bit mixing function. <c>Hash(x)</c> equals the first output of SplitMix64 seeded with x.
/// </summary>
internal static class SplitMix64
{
    /// <summary>Mixes <paramref name="value"/> into a well-distributed 64-bit hash.</summary>
    public static ulong Hash(ulong value)
    {
        unchecked
        {
            var z = value + 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
