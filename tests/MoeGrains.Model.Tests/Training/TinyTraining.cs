using MoeGrains.Model.Data;
using MoeGrains.Model.Training;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Training;

/// <summary>Trains tiny models on the bundled sample corpus for tests.</summary>
internal static class TinyTraining
{
    private static readonly Lazy<TokenizedSplit> TrainSplit = new(() =>
        TokenizedSplit.Create(DomainCorpus.Load(TestData.SampleCorpus.Path), new ByteTokenizer(), CorpusSplit.Train));

    public static TokenizedSplit Train => TrainSplit.Value;

    public static int DomainCount => Train.Domains.Count;

    public static ModelConfig Config(GateKind gate)
    {
        var config = ModelConfig.FromPreset("tiny", gate, new ByteTokenizer().VocabularySize);
        return gate == GateKind.Domain ? config with { Experts = DomainCount } : config;
    }

    public static MoeLanguageModel NewModel(GateKind gate, int seed)
    {
        manual_seed(seed);
        return new MoeLanguageModel(Config(gate));
    }

    /// <summary>Trains a fresh tiny model and returns every step's loss.</summary>
    public static (MoeLanguageModel Model, List<double> Losses) Run(GateKind gate, int steps, int seed = 7, int batch = 8)
    {
        var model = NewModel(gate, seed);
        var sampler = new BlockSampler(Train, model.Config.ContextLength, seed);
        var losses = new List<double>();
        using var trainer = new Trainer(model, new TrainingOptions(steps, batch, LearningRate: 1e-2, Seed: seed));
        trainer.Run(() => sampler.Next(batch), m => losses.Add(m.Loss));
        return (model, losses);
    }
}
