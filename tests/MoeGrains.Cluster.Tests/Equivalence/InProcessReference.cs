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

    /// <summary>
    /// <see cref="Train"/> with torch on one thread, as silo processes started with <c>MOE_TORCH_THREADS=1</c> run: the
    /// thread count changes the order of floating-point sums, and Adam amplifies the last-bit differences over steps.
    /// </summary>
    public static (MoeLanguageModel Model, List<double> Losses) TrainOnOneThread(ModelConfig config, string corpus, int seed, int steps, int batch, double learningRate)
    {
        var threads = get_num_threads();
        set_num_threads(1);
        try
        {
            return Train(config, corpus, seed, steps, batch, learningRate);
        }
        finally
        {
            set_num_threads(threads);
        }
    }
}
