using MoeGrains.Model.Data;

namespace MoeGrains.Model.Tests.Data;

public sealed class EvaluationBatchesTests
{
    [Theory]
    [InlineData(2, 4, 1)]
    [InlineData(5, 4, 2)]
    [InlineData(9, 4, 2)]
    [InlineData(10, 4, 2)]
    [InlineData(33, 8, 3)]
    [InlineData(34, 8, 3)]
    [InlineData(100, 7, 5)]
    [InlineData(3, 1, 4)]
    public void Every_target_after_the_first_token_is_predicted_exactly_once(int length, int blockLength, int batchSize)
    {
        TokenizedSplit data = Split(length, domainId: 5);
        var predicted = new int[length];
        long targetCount = 0;

        foreach (Batch batch in EvaluationBatches.Enumerate(data, "d", blockLength, batchSize))
        {
            using (batch)
            {
                long rows = batch.Tokens.shape[0];
                long columns = batch.Tokens.shape[1];
                Assert.InRange(rows, 1, batchSize);
                Assert.InRange(columns, 2, blockLength + 1);
                Assert.All(batch.Domains.data<long>().ToArray(), id => Assert.Equal(5L, id));
                long[] tokens = batch.Tokens.data<long>().ToArray();
                for (long row = 0; row < rows; row++)
                {
                    for (long column = 1; column < columns; column++)
                    {
                        long token = tokens[(row * columns) + column];
                        Assert.Equal(tokens[(row * columns) + column - 1] + 1, token);
                        predicted[token]++;
                    }
                }

                targetCount += rows * (columns - 1);
            }
        }

        Assert.Equal(length - 1, targetCount);
        Assert.Equal(EvaluationBatches.TargetCount(length), targetCount);
        Assert.Equal(0, predicted[0]);
        Assert.All(predicted[1..], count => Assert.Equal(1, count));
    }

    [Fact]
    public void Full_blocks_are_batched_and_the_short_tail_gets_its_own_batch()
    {
        // 11 tokens, L = 4: full blocks [0..4], [4..8]; tail [8..10] (2 targets).
        Batch[] batches = [.. EvaluationBatches.Enumerate(Split(11, 0), "d", blockLength: 4, batchSize: 8)];
        try
        {
            Assert.Equal(2, batches.Length);
            Assert.Equal([2L, 5L], batches[0].Tokens.shape);
            Assert.Equal([0L, 1, 2, 3, 4, 4, 5, 6, 7, 8], batches[0].Tokens.data<long>().ToArray());
            Assert.Equal([1L, 3L], batches[1].Tokens.shape);
            Assert.Equal([8L, 9, 10], batches[1].Tokens.data<long>().ToArray());
        }
        finally
        {
            foreach (Batch batch in batches)
            {
                batch.Dispose();
            }
        }
    }

    [Fact]
    public void Stream_of_one_token_yields_nothing()
    {
        Assert.Empty(EvaluationBatches.Enumerate(Split(1, 0), "d", 4, 2));
        Assert.Equal(0, EvaluationBatches.TargetCount(1));
    }

    [Fact]
    public void Unknown_domain_throws()
    {
        Assert.Throws<ArgumentException>(() => EvaluationBatches.Enumerate(Split(10, 0), "other", 4, 2));
    }

    private static TokenizedSplit Split(int length, int domainId)
        => new(CorpusSplit.Valid, new ByteTokenizer(), [new DomainTokenStream("d", domainId, [.. Enumerable.Range(0, length)])]);
}
