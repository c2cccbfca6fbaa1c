using MoeGrains.Abstractions.Models;
using MoeGrains.Model;
using MoeGrains.Model.Data;

namespace MoeGrains.Grains.Routers;

/// <summary>Turns a client's <see cref="ModelSpec"/> into a validated <see cref="ModelConfig"/>.</summary>
public static class ModelSpecs
{
    /// <summary>The config a spec describes.</summary>
    /// <exception cref="ArgumentException">Unknown preset, gate or tokenizer, or inconsistent overrides (named in the message).</exception>
    public static ModelConfig ToConfig(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var tokenizer = TokenizerFactory.Create(spec.Tokenizer);
        var config = ModelConfig.FromPreset(spec.Preset, GateNames.Parse(spec.Gate), tokenizer.VocabularySize, tokenizer.Name);
        if (spec.Experts is { } experts) config = config with { Experts = experts };
        if (spec.MoeEvery is { } every) config = config with { MoeEvery = every };
        if (spec.Domains is { } domains)
        {
            if (config.Gate != GateKind.Domain) throw new ArgumentException($"Domains names the experts of a domain gate; the gate is {spec.Gate}.");
            if (spec.Experts is { } count && count != domains.Count)
                throw new ArgumentException($"Experts ({count}) and Domains ({domains.Count}: {string.Join(", ", domains)}) disagree; give one expert per domain.");
            config = config.WithDomains(domains);
        }
        return config.Validate();
    }
}
