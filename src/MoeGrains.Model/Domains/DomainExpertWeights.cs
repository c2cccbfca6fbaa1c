using System.Globalization;
using MoeGrains.Model.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace MoeGrains.Model.Domains;

/// <summary>
/// Builds domain experts out of a shared model: a domain expert is the shared layers plus one domain's FFN in every MoE
/// layer, i.e. a domain-gate model with a single expert (always routed to, domain id 0).
/// </summary>
public static class DomainExpertWeights
{
    private const string DenseInfix = ".denseFeedForward.";

    /// <summary>The config of a domain expert cut from a model with <paramref name="source"/>.</summary>
    /// <exception cref="ArgumentException">The source is neither a domain-gate nor a dense model.</exception>
    public static ModelConfig ExpertConfig(ModelConfig source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Gate switch
        {
            GateKind.Domain => source with { Experts = 1, Domains = null }, // its one expert takes every token
            GateKind.Dense => source with { Gate = GateKind.Domain, Experts = 1, MoeEvery = 1 },
            _ => throw new ArgumentException(
                $"Domain experts are cut from a domain-gate (DEMix) or dense model; this one uses the {source.Gate} gate."),
        };
    }

    /// <summary>
    /// A new single-expert model holding <paramref name="source"/>'s shared weights and, in every MoE layer, the FFN of
    /// expert <paramref name="expert"/> (a dense source's FFN becomes the expert in every block).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The expert index is outside the source's experts.</exception>
    public static MoeLanguageModel Extract(MoeLanguageModel source, int expert)
    {
        ArgumentNullException.ThrowIfNull(source);
        var experts = source.Config.Gate == GateKind.Dense ? 1 : source.Config.Experts;
        if (expert < 0 || expert >= experts)
            throw new ArgumentOutOfRangeException(nameof(expert), expert, $"The source model has experts 0..{experts - 1}.");

        var state = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in source.state_dict())
        {
            if (ExpertKey.TryParse(name, out var key, out var local))
            {
                if (key.Expert == expert) state[new ExpertKey(key.Layer, 0).ParameterPrefix + local] = tensor;
            }
            else if (TryParseDense(name, out var layer, out var denseLocal))
            {
                state[new ExpertKey(layer, 0).ParameterPrefix + denseLocal] = tensor;
            }
            else
            {
                state[name] = tensor;
            }
        }
        var model = new MoeLanguageModel(ExpertConfig(source.Config));
        ModelPartition.LoadStrict(model, state);
        MoveLike(model, source);
        return model;
    }

    /// <summary>A new model with a copy of <paramref name="model"/>'s weights (the parent of an added expert).</summary>
    public static MoeLanguageModel Clone(MoeLanguageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var copy = new MoeLanguageModel(model.Config);
        ModelPartition.LoadStrict(copy, model.state_dict());
        MoveLike(copy, model);
        return copy;
    }

    /// <summary>True for the parameters a domain expert owns in <see cref="BranchMode.FeedForward"/> (its expert FFNs).</summary>
    public static bool IsExpertParameter(string name) => ExpertKey.TryParse(name, out _, out _);

    /// <summary>The state entries a domain expert stores for <paramref name="mode"/> (the model's own tensors, in order).</summary>
    public static IReadOnlyList<(string Name, Tensor Tensor)> StoredState(MoeLanguageModel model, BranchMode mode) =>
        [.. model.state_dict().Where(pair => mode == BranchMode.AllParameters || IsExpertParameter(pair.Key))
            .Select(pair => (pair.Key, pair.Value))];

    private static bool TryParseDense(string name, out int layer, out string local)
    {
        layer = -1;
        local = "";
        var infix = name.IndexOf(DenseInfix, StringComparison.Ordinal);
        if (!name.StartsWith("blocks.", StringComparison.Ordinal) || infix < 0) return false;
        if (!int.TryParse(name.AsSpan(7, infix - 7), NumberStyles.None, CultureInfo.InvariantCulture, out layer)) return false;
        local = name[(infix + DenseInfix.Length)..];
        return true;
    }

    private static void MoveLike(MoeLanguageModel model, MoeLanguageModel like)
    {
        var device = like.parameters().First().device;
        if (device.type != DeviceType.CPU) model.to(device.type, device.index);
    }
}
