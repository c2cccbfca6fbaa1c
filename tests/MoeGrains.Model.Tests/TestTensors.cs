using MoeGrains.Model.Routing;
using TorchSharp;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests;

/// <summary>Small helpers for building inputs and reading plans in tests.</summary>
internal static class TestTensors
{
    public static Tensor Matrix(double[,] values, ScalarType type = ScalarType.Float32)
    {
        var rows = values.GetLength(0);
        var columns = values.GetLength(1);
        var flat = new double[rows * columns];
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < columns; c++)
            flat[r * columns + c] = values[r, c];
        return tensor(flat, [rows, columns]).to(type);
    }

    public static long[] Longs(Tensor t) => t.to(ScalarType.Int64).cpu().data<long>().ToArray();

    public static double[] Doubles(Tensor t) => t.detach().to(ScalarType.Float64).cpu().data<double>().ToArray();

    public static RoutingContext Context(long tokens, Tensor? domains = null, Generator? generator = null) =>
        new(zeros(tokens, ScalarType.Int64), domains, generator);

    public static RoutingContext TokenContext(long[] tokenIds) => new(tensor(tokenIds), null, null);

    /// <summary>Token indices per expert, e.g. "0:[0,1] 1:[2]".</summary>
    public static string Signature(RoutingPlan plan) =>
        string.Join(" ", plan.Slices.Select(s => $"{s.Expert}:[{string.Join(",", Longs(s.TokenIndex))}]"));

    public static void SetWeight(TorchSharp.Modules.Linear linear, Tensor weight)
    {
        using var _ = no_grad();
        linear.weight!.copy_(weight);
    }

    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
