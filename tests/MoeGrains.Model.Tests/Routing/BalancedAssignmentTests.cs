using MoeGrains.Model.Routing;

namespace MoeGrains.Model.Tests.Routing;

public class BalancedAssignmentTests
{
    private static readonly (int Tokens, int Experts)[] SmallShapes =
    [
        (2, 2), (4, 2), (6, 3), (8, 4), (8, 2), (9, 3), (12, 4), (12, 6), (16, 8), (16, 4), (20, 5), (24, 6), (24, 3), (18, 9),
    ];

    [Fact]
    public void Random_small_instances_are_balanced_and_within_T_epsilon_of_the_optimum()
    {
        var random = new Random(20240601);
        foreach ((int tokens, int experts) in SmallShapes)
        {
            for (int trial = 0; trial < 25; trial++)
                AssertNearOptimal(Normal(random, tokens * experts), tokens, experts);
        }
    }

    [Fact]
    public void Instances_where_most_tokens_prefer_one_expert_are_near_optimal()
    {
        var random = new Random(7);
        foreach ((int tokens, int experts) in SmallShapes)
        {
            for (int trial = 0; trial < 10; trial++)
            {
                float[] scores = Normal(random, tokens * experts);
                int favourite = random.Next(experts);
                for (int t = 0; t < tokens; t++)
                {
                    if (t % 5 != 0)
                        scores[t * experts + favourite] += 4f;
                }
                AssertNearOptimal(scores, tokens, experts);
            }
        }
    }

    [Fact]
    public void Instances_with_many_ties_are_balanced_and_close_to_the_optimum()
    {
        // Not T·ε: fairseq's variant raises a retained token's cost by ε every round while its
        // owner, pinned to max S, never re-prices it, so long tie battles (integer scores) can end
        // a few points below the optimum. About 40% of these instances miss T·ε, worst 28 vs 32;
        // fairseq's own loop, run in float32, gives the same assignments (see the fixture below).
        var random = new Random(11);
        foreach ((int tokens, int experts) in SmallShapes)
        {
            for (int trial = 0; trial < 10; trial++)
            {
                float[] scores = new float[tokens * experts];
                for (int i = 0; i < scores.Length; i++)
                    scores[i] = random.Next(3);
                int[] assignment = BalancedAssignment.Solve(scores, tokens, experts);

                AssertBalanced(assignment, tokens, experts);
                double optimum = ExactAssignment.OptimalTotal(scores, tokens, experts);
                double total = ExactAssignment.Total(scores, experts, assignment);
                Assert.True(total >= 0.8 * optimum, $"T={tokens}, E={experts}, trial {trial}: {total} vs optimum {optimum}");
            }
        }
    }

    [Fact]
    public void A_tie_heavy_instance_matches_fairseqs_loop_in_float32()
    {
        // Expected result from a direct transcription of fairseq's balanced_assignment loop with
        // float32 rounding (27 rounds; the optimum is 13, fairseq reaches 12).
        float[] scores =
        [
            2, 0, 2, 1,
            1, 0, 0, 2,
            1, 0, 0, 0,
            0, 0, 1, 2,
            0, 1, 1, 0,
            0, 1, 0, 2,
            0, 2, 0, 2,
            1, 2, 2, 0,
        ];
        var assignment = new int[8];

        int rounds = BalancedAuction.Run(scores, 8, 4, BalancedAuction.DefaultMaxRounds, assignment, out bool greedy);

        Assert.False(greedy);
        Assert.Equal(27, rounds);
        Assert.Equal(new[] { 0, 0, 2, 3, 2, 3, 1, 1 }, assignment);
    }

    [Theory]
    [InlineData(8, 4, 0f)]
    [InlineData(12, 3, -2.5f)]
    [InlineData(4096, 64, 1f)]
    public void All_equal_scores_give_a_balanced_assignment(int tokens, int experts, float value)
    {
        float[] scores = Enumerable.Repeat(value, tokens * experts).ToArray();

        int[] assignment = BalancedAssignment.Solve(scores, tokens, experts);

        AssertBalanced(assignment, tokens, experts);
    }

    [Fact]
    public void One_token_per_expert_is_a_permutation_and_near_optimal()
    {
        var random = new Random(3);
        for (int experts = 2; experts <= 10; experts++)
        {
            for (int trial = 0; trial < 10; trial++)
                AssertNearOptimal(Normal(random, experts * experts), experts, experts);
        }
    }

    [Fact]
    public void A_single_expert_gets_every_token()
    {
        int[] assignment = BalancedAssignment.Solve(new float[] { 0.5f, -1f, 3f }, 3, 1);

        Assert.Equal(new[] { 0, 0, 0 }, assignment);
    }

    [Fact]
    public void Clear_preferences_are_followed_even_against_the_greedy_choice()
    {
        // Both tokens score highest on expert 0, but token 1 loses much more by moving, so the
        // optimum sends token 0 to expert 1.
        float[] scores =
        [
            1.0f, 0.9f,
            1.0f, 0.0f,
        ];

        Assert.Equal(new[] { 1, 0 }, BalancedAssignment.Solve(scores, 2, 2));
    }

    [Fact]
    public void The_result_is_deterministic()
    {
        float[] scores = Normal(new Random(5), 256 * 8);

        Assert.Equal(BalancedAssignment.Solve(scores, 256, 8), BalancedAssignment.Solve(scores, 256, 8));
    }

    [Theory]
    [InlineData(4096, 64, false)]
    [InlineData(4096, 64, true)]
    [InlineData(4096, 8, true)]
    [InlineData(1024, 32, false)]
    public void Large_instances_finish_within_the_auction_and_are_balanced(int tokens, int experts, bool skewed)
    {
        var random = new Random(tokens + experts);
        float[] scores = Normal(random, tokens * experts);
        if (skewed)
        {
            for (int t = 0; t < tokens; t++)
                scores[t * experts] += 3f;
        }
        var assignment = new int[tokens];

        int rounds = BalancedAuction.Run(scores, tokens, experts, BalancedAuction.DefaultMaxRounds, assignment, out bool greedy);

        Assert.False(greedy, $"the auction hit the round cap after {rounds} rounds");
        AssertBalanced(assignment, tokens, experts);
        Assert.Equal(assignment, BalancedAssignment.Solve(scores, tokens, experts));
    }

    [Fact]
    public void Hitting_the_round_cap_still_gives_a_balanced_assignment()
    {
        float[] scores = Normal(new Random(9), 512 * 16);
        var assignment = new int[512];

        int rounds = BalancedAuction.Run(scores, 512, 16, maxRounds: 2, assignment, out bool greedy);

        Assert.True(greedy);
        Assert.Equal(2, rounds);
        AssertBalanced(assignment, 512, 16);
    }

    [Theory]
    [InlineData(0, 2, "tokens")]
    [InlineData(-4, 2, "tokens")]
    [InlineData(4, 0, "experts")]
    [InlineData(4, -1, "experts")]
    public void Non_positive_sizes_are_rejected(int tokens, int experts, string name)
    {
        var error = Assert.Throws<ArgumentException>(() => BalancedAssignment.Solve(new float[8], tokens, experts));

        Assert.Equal(name, error.ParamName);
        Assert.Contains($"{name} must be positive", error.Message);
    }

    [Fact]
    public void Tokens_not_divisible_by_experts_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => BalancedAssignment.Solve(new float[10 * 4], 10, 4));

        Assert.Contains("must be a multiple of experts", error.Message);
        Assert.Contains("10", error.Message);
    }

    [Fact]
    public void A_scores_length_other_than_tokens_times_experts_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => BalancedAssignment.Solve(new float[15], 8, 2));

        Assert.Equal("scores", error.ParamName);
        Assert.Contains("scores length 15", error.Message);
        Assert.Contains("16", error.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Non_finite_scores_are_rejected(float bad)
    {
        float[] scores = new float[64];
        scores[37] = bad;

        var error = Assert.Throws<ArgumentException>(() => BalancedAssignment.Solve(scores, 16, 4));

        Assert.Contains("scores[37]", error.Message);
        Assert.Contains("finite", error.Message);
    }

    private static void AssertNearOptimal(float[] scores, int tokens, int experts)
    {
        int[] assignment = BalancedAssignment.Solve(scores, tokens, experts);

        AssertBalanced(assignment, tokens, experts);
        double epsilon = Math.Max((scores.Max() - scores.Min()) / 50.0, 1e-4);
        double optimum = ExactAssignment.OptimalTotal(scores, tokens, experts);
        double total = ExactAssignment.Total(scores, experts, assignment);
        Assert.True(
            total >= optimum - tokens * epsilon - 1e-4,
            $"T={tokens}, E={experts}: total {total} is more than T·ε = {tokens * epsilon} below the optimum {optimum}");
    }

    private static void AssertBalanced(int[] assignment, int tokens, int experts)
    {
        Assert.Equal(tokens, assignment.Length);
        var load = new int[experts];
        foreach (int expert in assignment)
        {
            Assert.InRange(expert, 0, experts - 1);
            load[expert]++;
        }
        Assert.All(load, count => Assert.Equal(tokens / experts, count));
    }

    private static float[] Normal(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return values;
    }
}
