using MoeGrains.Model.Data;

namespace MoeGrains.Benchmarks;

/// <summary>The bundled sample corpus, tokenized with bytes, for benchmarks.</summary>
internal static class BenchmarkData
{
    private static readonly Lazy<TokenizedSplit> Train = new(() => TokenizedSplit.Create(
        DomainCorpus.Load(Path.Combine(AppContext.BaseDirectory, "sample-corpus")), new ByteTokenizer(), CorpusSplit.Train));

    public static Batch FixedBatch(int blockLength, int batchSize, int seed = 3) =>
        new BlockSampler(Train.Value, blockLength, seed).Next(batchSize);
}
