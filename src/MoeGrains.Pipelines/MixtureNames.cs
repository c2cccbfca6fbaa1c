using System.Globalization;

namespace MoeGrains.Pipelines;

/// <summary>The mixture modes an evaluation names: uniform, updating, cached, or topk:K.</summary>
public static class MixtureNames
{
    /// <summary>True when <paramref name="name"/> is a known mixture mode.</summary>
    public static bool IsValid(string name) =>
        name is "uniform" or "updating" or "cached" ||
        (name.StartsWith("topk:", StringComparison.Ordinal) &&
         int.TryParse(name.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k >= 1);
}
