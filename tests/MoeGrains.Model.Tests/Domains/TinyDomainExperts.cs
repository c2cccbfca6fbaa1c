using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using MoeGrains.Model.Training;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Domains;

/// <summary>
/// A tiny DEMix model trained once for the domain tests: phase 1 trains a domain-gate model on six sample-corpus domains
/// (wikipedia held out), phase 2 branch-trains each domain's expert FFNs on its own data.
/// </summary>
internal sealed class TinyDomainExperts
{
    public const string HeldOut = "wikipedia";
    public const int SharedSteps = 400;
    public const int BranchSteps = 150;
    public const int Batch = 16;
    public const double LearningRate = 1e-2;

    private static readonly Lazy<TinyDomainExperts> Instance = new(() => new TinyDomainExperts());

    private TinyDomainExperts()
    {
        var corpus = DomainCorpus.Load(TestData.SampleCorpus.Path);
        var tokenizer = new ByteTokenizer();
        var fullTrain = TokenizedSplit.Create(corpus, tokenizer, CorpusSplit.Train);
        Train = new TokenizedSplit(CorpusSplit.Train, tokenizer, fullTrain.Streams.Where(s => s.Domain != HeldOut));
        Valid = TokenizedSplit.Create(corpus, tokenizer, CorpusSplit.Valid);
        Test = TokenizedSplit.Create(corpus, tokenizer, CorpusSplit.Test);
        HeldOutTrain = fullTrain.Stream(HeldOut);
        Documents = corpus;

        manual_seed(21);
        // tiny, twice as wide: the plain tiny preset barely gets past byte frequencies in a few hundred steps
        var config = ModelConfig.FromPreset("tiny", GateKind.Domain, tokenizer.VocabularySize)
            with { Experts = Train.Domains.Count, ModelDim = 64, FeedForwardDim = 256 };
        Shared = new MoeLanguageModel(config);
        var sampler = new BlockSampler(Train, config.ContextLength, seed: 21);
        using (var trainer = new Trainer(Shared, new TrainingOptions(SharedSteps, Batch, LearningRate, Seed: 21)))
            trainer.Run(() => sampler.Next(Batch));

        Experts = [.. Train.Domains.Select((domain, i) => new DomainExpert(domain, DomainExpertWeights.Extract(Shared, i)))];
        foreach (var expert in Experts)
            BranchTraining.Train(expert, Train.Stream(expert.Domain), BranchOptions, BranchMode.FeedForward);
    }

    public static TinyDomainExperts Get => Instance.Value;

    public static TrainingOptions BranchOptions => new(BranchSteps, Batch, LearningRate, Seed: 5);

    public TokenizedSplit Train { get; }
    public TokenizedSplit Valid { get; }
    public TokenizedSplit Test { get; }
    public DomainTokenStream HeldOutTrain { get; }
    public DomainCorpus Documents { get; }
    public MoeLanguageModel Shared { get; }
    public IReadOnlyList<DomainExpert> Experts { get; }

    public IReadOnlyList<ExpertScorer> Scorers => [.. Experts.Select(e => e.Scorer())];
}
