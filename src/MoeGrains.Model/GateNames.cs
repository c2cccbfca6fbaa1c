namespace MoeGrains.Model;

/// <summary>Parses and prints gate names as the command line spells them.</summary>
public static class GateNames
{
    /// <summary>Every gate name the command line accepts.</summary>
    public static IReadOnlyList<string> All { get; } = ["dense", "switch", "top2", "base", "hash", "domain"];

    /// <summary>Parses a gate name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The name is not a known gate.</exception>
    public static GateKind Parse(string name) => name.ToLowerInvariant() switch
    {
        "dense" => GateKind.Dense,
        "switch" => GateKind.Switch,
        "top2" => GateKind.Top2,
        "base" => GateKind.Base,
        "hash" => GateKind.Hash,
        "domain" => GateKind.Domain,
        _ => throw new ArgumentException($"Unknown gate '{name}'. Expected one of: {string.Join(", ", All)}.", nameof(name)),
    };

    /// <summary>The command-line name of a gate.</summary>
    public static string Name(GateKind gate) => gate.ToString().ToLowerInvariant();
}
