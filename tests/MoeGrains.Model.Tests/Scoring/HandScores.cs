using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Scoring;

/// <summary>Token log-probabilities of a continuation computed directly from the model's logits, one sequence per forward.</summary>
internal static class HandScores
{
    /// <summary>log P(continuation[k] | context, continuation[..k]) from log_softmax of one forward over context + continuation[..^1].</summary>
    public static double[] LogProbs(MoeLanguageModel model, string context, string continuation)
    {
        var c = context.Select(ch => (long)ch).ToArray();
        var y = continuation.Select(ch => (long)ch).ToArray();
        long[] input = [.. c, .. y[..^1]];
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = model.Forward(tensor(input, [1, input.Length]), dropless: true).Logits[0].to(ScalarType.Float64);
        var logProbs = nn.functional.log_softmax(logits, 1);
        return [.. Enumerable.Range(0, y.Length).Select(k => logProbs[c.Length - 1 + k, y[k]].item<double>())];
    }
}
