using System.Diagnostics;
using MoeGrains.Abstractions.Experts;
using MoeGrains.Abstractions.Tensors;
using MoeGrains.Benchmarks;

namespace MoeGrains.Cluster.Benchmarks;

/// <summary>
/// Round trips of <see cref="IExpertGrain.ForwardAsync"/> with one token of a <c>tiny</c> model (d = 32: a 128-byte
/// payload; the FFN of one token is part of it), awaited one after another; callers are interleaved in blocks.
/// </summary>
internal static class CallOverhead
{
    private const int Blocks = 20;
    private const int CallsPerBlock = 100;

    public static async Task<double[]> MedianMicrosecondsAsync(IReadOnlyList<IGrainFactory> callers, ExpertId expert, int modelDim)
    {
        var request = new ExpertForwardRequest(0, new TensorPayload(new byte[modelDim * sizeof(float)], [1, modelDim], TensorDType.Float32), Training: false);
        var grains = callers.Select(f => f.GetGrain<IExpertGrain>(expert.Key)).ToList();
        var samples = callers.Select(_ => new List<double>()).ToArray();
        for (var block = -1; block < Blocks; block++)
        {
            for (var c = 0; c < grains.Count; c++)
            {
                for (var i = 0; i < CallsPerBlock; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    await grains[c].ForwardAsync(request);
                    if (block >= 0) samples[c].Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                }
            }
        }
        return [.. samples.Select(Timing.Median)];
    }
}
