namespace MoeGrains.Cli.Up;

/// <summary>One silo of a local cluster: its ports and expert slots.</summary>
/// <param name="Index">0 for the primary (the gateway).</param>
/// <param name="SiloPort">Silo-to-silo port.</param>
/// <param name="GatewayPort">Client gateway port, 0 for none.</param>
/// <param name="ExpertSlots">Expert activations it accepts; 0 for a router/gateway silo.</param>
internal sealed record SiloPlan(int Index, int SiloPort, int GatewayPort, int ExpertSlots)
{
    /// <summary>The silo host's command-line configuration for this silo.</summary>
    public IEnumerable<string> Arguments(int primarySiloPort, string store)
    {
        yield return "--MoeGrains:Silo:Clustering=Localhost";
        yield return $"--MoeGrains:Silo:SiloPort={SiloPort}";
        yield return $"--MoeGrains:Silo:GatewayPort={GatewayPort}";
        if (Index > 0) yield return $"--MoeGrains:Silo:PrimarySiloEndpoint=127.0.0.1:{primarySiloPort}";
        yield return $"--MoeGrains:Accelerator:ExpertSlots={ExpertSlots}";
        yield return "--MoeGrains:Storage:Provider=Files";
        yield return $"--MoeGrains:Storage:Folder={Path.Combine(store, Cluster.EmbeddedSilo.GrainStateFolder)}";
        yield return "--MoeGrains:Checkpoints:Kind=Local";
        yield return $"--MoeGrains:Checkpoints:LocalRoot={store}";
        yield return "--Logging:LogLevel:Polly=Warning"; // Orleans' placement pipeline logs every attempt
    }

    /// <summary>Builds the plan: the first silos without expert slots, the last --expert-silos with.</summary>
    public static IReadOnlyList<SiloPlan> For(UpSettings settings) => [.. Enumerable.Range(0, settings.Silos).Select(i => new SiloPlan(
        i, settings.BasePort + i, i == 0 ? settings.GatewayPort : 0,
        i >= settings.Silos - settings.ExpertSiloCount ? settings.ExpertSlots : 0))];
}
