using MoeGrains.Model;
using MoeGrains.Model.Data;
using MoeGrains.Model.Training;
using static TorchSharp.torch;

namespace MoeGrains.Cluster.Tests.Equivalence;

/// <summary>The same model trained in-process: the reference the cluster must agree with.</summary>
internal static class InProcessReference
{
    public static (MoeLanguageModel Model, List<double> Losses) Train(ModelConfig config, string corpus, int seed, int steps, int batch, double learningRate)
    {
        manual_seed(seed);
        var model = new MoeLanguageModel(config);
        var train = TokenizedSplit.Create(DomainCorpus.Load(corpus), TokenizerFactory.Create(config.Tokenizer), CorpusSplit.Train);
        var sampler = new BlockSampler(train, config.ContextLength, seed);
        var losses = new List<double>();
        using var trainer = new Trainer(model, new TrainingOptions(steps, batch, learningRate, Seed: seed));
        trainer.Run(() => sampler.Next(batch), m => losses.Add(m.Loss));
        return (model, losses);
    }
}
