namespace MoeGrains.Model.Routing;

/// <summary>Creates the gate a model config asks for.</summary>
public static class GateFactory
{
    /// <summary>The gate of the MoE layer in block <paramref name="layerIndex"/>.</summary>
    /// <exception cref="ArgumentException">The config's gate is dense (no MoE layer) or unknown.</exception>
    public static Gate Create(ModelConfig config, int layerIndex)
    {
        var name = $"{GateNames.Name(config.Gate)}_gate{layerIndex}";
        return config.Gate switch
        {
            GateKind.Dense => throw new ArgumentException("The dense gate has no MoE layers.", nameof(config)),
            GateKind.Switch => new SwitchGate(name, config.ModelDim, config.Experts, config.CapacityFactor, config.EvalCapacityFraction),
            GateKind.Top2 => new Top2Gate(name, config.ModelDim, config.Experts, config.EvalCapacityFraction, config.SecondExpert),
            GateKind.Base => new BaseLayerGate(name, config.ModelDim, config.Experts),
            GateKind.Hash => new HashGate(name, config.Experts, config.VocabularySize),
            GateKind.Domain => new DomainGate(name, config.Experts),
            _ => throw new ArgumentException($"Unknown gate kind {config.Gate}.", nameof(config)),
        };
    }
}
