using MoeGrains.Model.Distributed;
using TorchSharp.Modules;

namespace MoeGrains.Model.Training;

/// <summary>Splits a model's parameters into trainable and frozen ones, and freezes the latter.</summary>
public static class TrainableParameterSelection
{
    /// <summary>True when the parameter named <paramref name="name"/> is trained under <paramref name="selection"/>.</summary>
    public static bool IsTrainable(string name, TrainableParameters selection) => selection switch
    {
        TrainableParameters.All => true,
        TrainableParameters.ExpertFeedForwards => ExpertKey.TryParse(name, out _, out _),
        _ => throw new ArgumentOutOfRangeException(nameof(selection), selection, "Unknown trainable-parameter selection."),
    };

    /// <summary>
    /// Sets requires_grad on every parameter of <paramref name="model"/> according to <paramref name="selection"/> and
    /// returns the trainable ones in model order.
    /// </summary>
    /// <exception cref="ArgumentException">The selection leaves nothing to train (e.g. a dense model's expert FFNs).</exception>
    public static List<(string Name, Parameter Parameter)> Apply(MoeLanguageModel model, TrainableParameters selection)
    {
        ArgumentNullException.ThrowIfNull(model);
        var trainable = new List<(string, Parameter)>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            var train = IsTrainable(name, selection);
            parameter.requires_grad = train;
            if (train) trainable.Add((name, parameter));
        }
        if (trainable.Count == 0)
            throw new ArgumentException($"The {model.Config.Gate} model has no parameters to train under '{selection}'.");
        return trainable;
    }
}
