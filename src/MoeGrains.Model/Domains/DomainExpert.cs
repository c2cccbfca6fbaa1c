using MoeGrains.Model.Data;
using static TorchSharp.torch;

namespace MoeGrains.Model.Domains;

/// <summary>One domain's expert: the shared layers and its own FFNs, as a single-expert domain-gate model.</summary>
public sealed class DomainExpert : IDisposable
{
    /// <summary>Wraps <paramref name="model"/> (taking ownership) as the expert of <paramref name="domain"/>.</summary>
    /// <exception cref="ArgumentException">The model is not a single-expert domain-gate model, or the name is blank.</exception>
    public DomainExpert(string domain, MoeLanguageModel model, int step = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        ArgumentNullException.ThrowIfNull(model);
        if (model.Config.Gate != GateKind.Domain || model.Config.Experts != 1)
            throw new ArgumentException($"A domain expert is a single-expert domain-gate model; got {model.Config.Gate} with {model.Config.Experts} experts.", nameof(model));
        Domain = domain;
        Model = model;
        Step = step;
    }

    /// <summary>The domain this expert was trained on (its name in a mixture).</summary>
    public string Domain { get; }

    /// <summary>The model: shared layers + this domain's FFNs.</summary>
    public MoeLanguageModel Model { get; }

    /// <summary>Branch-training steps this expert has seen.</summary>
    public int Step { get; set; }

    /// <summary>log p(target | inputs) of every position of <paramref name="batch"/>: float64 [B, L] on the CPU (the batch's domains are ignored).</summary>
    public Tensor TargetLogProbs(Batch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var device = Model.parameters().First().device;
        var inputs = batch.Inputs().to(device);
        var domains = zeros(inputs.shape[0], ScalarType.Int64, device);
        var logits = Model.Forward(inputs, domains).Logits;
        return SelectTargets(logits, batch.Targets()).MoveToOuterDisposeScope();
    }

    /// <summary>An <see cref="ExpertScorer"/> running this expert in-process.</summary>
    public ExpertScorer Scorer() => new(Domain, (batch, _) => Task.FromResult(TargetLogProbs(batch)));

    /// <summary>log-softmax of <paramref name="logits"/> [B, L, V] picked at <paramref name="targets"/> [B, L]: float64 [B, L] on the CPU.</summary>
    public static Tensor SelectTargets(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var logProbs = nn.functional.log_softmax(logits.to(ScalarType.Float64), -1);
        var picked = logProbs.gather(-1, targets.to(logits.device).unsqueeze(-1)).squeeze(-1);
        return picked.cpu().MoveToOuterDisposeScope();
    }

    /// <summary>Frees the model.</summary>
    public void Dispose() => Model.Dispose();
}
