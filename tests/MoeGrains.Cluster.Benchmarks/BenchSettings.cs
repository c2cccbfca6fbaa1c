using MoeGrains.Model.Data;

namespace MoeGrains.Cluster.Benchmarks;

/// <summary>What every contender shares: the model, the batch, the data, the rounds.</summary>
internal static class BenchSettings
{
    public const string Preset = "small";
    public const int Batch = 16;
    public const int Seed = 5;

    /// <summary>Small, so that the two copies of a model keep routing alike (same drops, same work) over the rounds.</summary>
    public const double LearningRate = 1e-4;

    /// <summary>Timed steps per round (each run does one more, untimed, first).</summary>
    public const int StepsPerRound = 4;

    public const int WarmupRounds = 1;
    public const int Rounds = 3;

    public static readonly string[] Gates = ["switch", "top2"];

    /// <summary>
    /// Torch threads on every side: the benchmark process (in-process reference and one-silo cluster) and each silo process
    /// (<c>MOE_TORCH_THREADS</c>). <c>MOE_BENCH_TORCH_THREADS</c> overrides the default of one per core.
    /// </summary>
    public static int TorchThreads { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("MOE_BENCH_TORCH_THREADS"), out var threads) && threads > 0 ? threads : Environment.ProcessorCount;

    /// <summary>The thread budget as printed beside the figures.</summary>
    public static string ThreadBudget =>
        $"{Environment.ProcessorCount} cores; torch threads {TorchThreads} in the in-process reference, {TorchThreads} in the one-silo cluster (same process), " +
        $"{TorchThreads} in each of the two silo processes (router silo, expert silo)";

    /// <summary>Set by the <c>scoring</c> argument: measure only the scoring ratios (no training, no call overhead).</summary>
    public static bool ScoringOnly { get; set; }

    /// <summary>The gates whose training is measured: none in scoring-only runs.</summary>
    public static IEnumerable<string> TrainingGates => ScoringOnly ? [] : Gates;

    public static string Corpus => Path.Combine(AppContext.BaseDirectory, "sample-corpus");

    private static readonly Lazy<TokenizedSplit> TrainSplit = new(() =>
        TokenizedSplit.Create(DomainCorpus.Load(Corpus), new ByteTokenizer(), CorpusSplit.Train));

    public static TokenizedSplit Train => TrainSplit.Value;

    /// <summary>One text per domain: the first ~<paramref name="chars"/> characters of its validation split.</summary>
    public static IReadOnlyList<string> ScoringTexts(int chars = 640) =>
        [.. Directory.GetDirectories(Corpus).Order(StringComparer.Ordinal)
            .Select(d => File.ReadAllText(Path.Combine(d, "valid.txt")))
            .Select(text => text.Length <= chars ? text : text[..chars])];
}
