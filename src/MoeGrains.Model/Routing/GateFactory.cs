namespace MoeGrains.Model.Routing;

/// <summary>Creates the gate a model config asks for.</summary>
public static class GateFactory
{
    /// <summary>The gate of the MoE layer in block <paramref name="layerIndex"/>.</summary>
    /// <exception cref="ArgumentException">The config's gate is dense (no MoE layer) or unknown.</exception>
    public static Gate Create(ModelConfig config, int layerIndex) => config.Gate switch
    {
        GateKind.Dense => throw new ArgumentException("The dense gate has no MoE layers.", nameof(config)),
        _ => throw new NotImplementedException($"The {config.Gate} gate is being written."),
    };
}
