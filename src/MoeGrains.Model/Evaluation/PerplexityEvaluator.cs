using MoeGrains.Model.Data;
using static TorchSharp.torch;

namespace MoeGrains.Model.Evaluation;

/// <summary>Computes perplexity = exp(mean token negative log-likelihood) over evaluation batches.</summary>
public static class PerplexityEvaluator
{
    /// <summary>Evaluates <paramref name="model"/> on every domain of a tokenized split, each token predicted once.</summary>
    public static PerplexityReport Evaluate(MoeLanguageModel model, TokenizedSplit split, int batchSize) =>
        Evaluate(model, split.Domains.Select(domain =>
            (domain, EvaluationBatches.Enumerate(split, domain, model.Config.ContextLength, batchSize))));

    /// <summary>Evaluates <paramref name="model"/> on every domain's batches (the evaluator disposes them).</summary>
    public static PerplexityReport Evaluate(MoeLanguageModel model, IEnumerable<(string Domain, IEnumerable<Batch> Batches)> domains)
    {
        var results = new Dictionary<string, Perplexity>();
        var overall = new Perplexity(0, 0);
        var device = model.parameters().First().device;
        model.eval();
        using var noGrad = no_grad();
        foreach (var (domain, batches) in domains)
        {
            var perplexity = new Perplexity(0, 0);
            foreach (var batch in batches)
            {
                using (batch)
                    perplexity = perplexity.Add(Score(model, batch, device));
            }
            results[domain] = perplexity;
            overall = overall.Add(perplexity);
        }
        return new PerplexityReport(results, overall);
    }

    /// <summary>
    /// Evaluates any logits function (the cluster's router, for one) on every domain of a tokenized split, with exactly
    /// the batches and the NLL arithmetic of the in-process evaluation.
    /// </summary>
    public static async Task<PerplexityReport> EvaluateAsync(Func<Batch, CancellationToken, Task<Tensor>> logits, TokenizedSplit split,
        int blockLength, int batchSize, CancellationToken cancellationToken = default)
    {
        var results = new Dictionary<string, Perplexity>();
        var overall = new Perplexity(0, 0);
        foreach (var domain in split.Domains)
        {
            var perplexity = new Perplexity(0, 0);
            foreach (var batch in EvaluationBatches.Enumerate(split, domain, blockLength, batchSize))
            {
                using (batch)
                using (var batchLogits = await logits(batch, cancellationToken))
                    perplexity = perplexity.Add(Nll(batchLogits, batch.Targets()));
            }
            results[domain] = perplexity;
            overall = overall.Add(perplexity);
        }
        return new PerplexityReport(results, overall);
    }

    /// <summary>Summed NLL and token count of one batch.</summary>
    public static Perplexity Score(MoeLanguageModel model, Batch batch, Device device)
    {
        using var scope = NewDisposeScope();
        var targets = batch.Targets().to(device);
        var output = model.Forward(batch.Inputs().to(device), batch.Domains.to(device));
        return Nll(output.Logits, targets);
    }

    private static Perplexity Nll(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var wide = logits.to(ScalarType.Float64);
        var nll = nn.functional.cross_entropy(wide.reshape(-1, wide.shape[^1]), targets.to(logits.device).reshape(-1), reduction: nn.Reduction.Sum);
        return new Perplexity(nll.item<double>(), targets.numel());
    }
}
