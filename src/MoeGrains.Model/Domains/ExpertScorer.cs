using MoeGrains.Model.Data;
using static TorchSharp.torch;

namespace MoeGrains.Model.Domains;

/// <summary>
/// One expert as the mixture sees it: a name and a function from a batch of blocks to each target's log-probability,
/// float64 [B, L] on the CPU, owned by the caller. In-process experts and expert grains both fit.
/// </summary>
/// <param name="Name">The expert's name (its domain).</param>
/// <param name="LogProbs">Batch → log p(target) per position.</param>
public sealed record ExpertScorer(string Name, Func<Batch, CancellationToken, Task<Tensor>> LogProbs);
