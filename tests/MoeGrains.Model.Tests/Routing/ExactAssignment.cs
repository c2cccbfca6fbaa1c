namespace MoeGrains.Model.Tests.Routing;

/// <summary>
/// Exact balanced assignment for small instances, for checking the auction: each expert is expanded
/// into T / E identical slots and the resulting T × T assignment problem is solved with the
/// Hungarian algorithm (shortest augmenting paths with potentials, O(T³)), maximising total score.
/// </summary>
internal static class ExactAssignment
{
    /// <summary>Best achievable total score; scores are row-major [tokens × experts].</summary>
    public static double OptimalTotal(float[] scores, int tokens, int experts)
    {
        int[] assignment = Solve(scores, tokens, experts);
        return Total(scores, experts, assignment);
    }

    /// <summary>Total score of an assignment.</summary>
    public static double Total(float[] scores, int experts, int[] assignment)
    {
        double total = 0;
        for (int t = 0; t < assignment.Length; t++)
            total += scores[t * experts + assignment[t]];
        return total;
    }

    /// <summary>An optimal balanced assignment: the expert of each token.</summary>
    public static int[] Solve(float[] scores, int tokens, int experts)
    {
        int n = tokens, k = tokens / experts;
        // Minimise −score. Rows are tokens, columns are slots; slot j belongs to expert j / k.
        double Cost(int row, int column) => -scores[row * experts + column / k];

        // 1-based arrays with a virtual column 0, as in the classic formulation.
        var u = new double[n + 1];
        var v = new double[n + 1];
        var rowOfColumn = new int[n + 1];
        var way = new int[n + 1];
        for (int row = 1; row <= n; row++)
        {
            rowOfColumn[0] = row;
            int column0 = 0;
            var minSlack = new double[n + 1];
            var used = new bool[n + 1];
            Array.Fill(minSlack, double.PositiveInfinity);
            do
            {
                used[column0] = true;
                int row0 = rowOfColumn[column0], column1 = 0;
                double delta = double.PositiveInfinity;
                for (int column = 1; column <= n; column++)
                {
                    if (used[column])
                        continue;
                    double slack = Cost(row0 - 1, column - 1) - u[row0] - v[column];
                    if (slack < minSlack[column])
                    {
                        minSlack[column] = slack;
                        way[column] = column0;
                    }
                    if (minSlack[column] < delta)
                    {
                        delta = minSlack[column];
                        column1 = column;
                    }
                }
                for (int column = 0; column <= n; column++)
                {
                    if (used[column])
                    {
                        u[rowOfColumn[column]] += delta;
                        v[column] -= delta;
                    }
                    else
                    {
                        minSlack[column] -= delta;
                    }
                }
                column0 = column1;
            }
            while (rowOfColumn[column0] != 0);
            do
            {
                int column1 = way[column0];
                rowOfColumn[column0] = rowOfColumn[column1];
                column0 = column1;
            }
            while (column0 != 0);
        }

        var assignment = new int[n];
        for (int column = 1; column <= n; column++)
            assignment[rowOfColumn[column] - 1] = (column - 1) / k;
        return assignment;
    }
}
