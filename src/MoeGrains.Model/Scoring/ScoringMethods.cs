namespace MoeGrains.Model.Scoring;

/// <summary>Names of the <see cref="ScoringMethod"/>s as the command line and the wire spell them.</summary>
public static class ScoringMethods
{
    /// <summary>Every method, in report order.</summary>
    public static IReadOnlyList<ScoringMethod> All { get; } = Enum.GetValues<ScoringMethod>();

    /// <summary>The method's name: lm, avg, pmi, pmi-dc, domain-cond, channel, direct++.</summary>
    public static string Name(this ScoringMethod method) => method switch
    {
        ScoringMethod.Lm => "lm",
        ScoringMethod.Avg => "avg",
        ScoringMethod.Pmi => "pmi",
        ScoringMethod.PmiDc => "pmi-dc",
        ScoringMethod.DomainCond => "domain-cond",
        ScoringMethod.Channel => "channel",
        ScoringMethod.DirectPlusPlus => "direct++",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown scoring method."),
    };

    /// <summary>True for the methods that condition on the domain premise x_d.</summary>
    public static bool NeedsDomainPremise(this ScoringMethod method) => method is ScoringMethod.PmiDc or ScoringMethod.DomainCond;

    /// <summary>The method called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No method has that name.</exception>
    public static ScoringMethod Parse(string name)
    {
        foreach (var method in All)
            if (string.Equals(method.Name(), name?.Trim(), StringComparison.OrdinalIgnoreCase)) return method;
        throw new ArgumentException($"Unknown scoring method '{name}'. Expected one of {string.Join(", ", All.Select(m => m.Name()))} or all.");
    }

    /// <summary>
    /// The methods a <c>--method</c> value asks for. "all" means every method, except the domain-premise methods when no
    /// item has a domain premise (when only some have one, scoring refuses the items without).
    /// </summary>
    /// <exception cref="ArgumentException">An unknown method name.</exception>
    public static IReadOnlyList<ScoringMethod> Resolve(string name, IReadOnlyList<ChoiceItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (!string.Equals(name?.Trim(), "all", StringComparison.OrdinalIgnoreCase)) return [Parse(name!)];
        var anyPremise = items.Any(item => item.DomainPremise is not null);
        return [.. All.Where(m => anyPremise || !m.NeedsDomainPremise())];
    }
}
