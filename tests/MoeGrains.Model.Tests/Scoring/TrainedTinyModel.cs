using MoeGrains.Model.Tests.Training;

namespace MoeGrains.Model.Tests.Scoring;

/// <summary>One tiny switch model trained for a few steps on the sample corpus, shared by the scoring tests.</summary>
internal static class TrainedTinyModel
{
    private static readonly Lazy<MoeLanguageModel> Trained = new(() => TinyTraining.Run(GateKind.Switch, steps: 40, seed: 3).Model);

    public static MoeLanguageModel Model => Trained.Value;
}
