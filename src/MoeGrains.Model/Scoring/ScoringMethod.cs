namespace MoeGrains.Model.Scoring;

/// <summary>
/// The zero-shot multiple-choice scoring rules (x: context, y: a choice, x_d: the domain premise). Sums over the
/// choice's tokens for <see cref="Lm"/>, <see cref="Pmi"/>, <see cref="PmiDc"/> and <see cref="DomainCond"/>; means
/// per token for <see cref="Avg"/>, <see cref="Channel"/> and <see cref="DirectPlusPlus"/>.
/// </summary>
public enum ScoringMethod
{
    /// <summary>argmax Σ log P(y | x).</summary>
    Lm,

    /// <summary>argmax Σ log P(y | x) / |y|.</summary>
    Avg,

    /// <summary>argmax Σ log P(y | x) − Σ log P(y | ":").</summary>
    Pmi,

    /// <summary>Domain-conditional PMI: argmax Σ log P(y | x) − Σ log P(y | x_d).</summary>
    PmiDc,

    /// <summary>argmax Σ log P(y | x_d).</summary>
    DomainCond,

    /// <summary>Noisy channel: argmin of the mean per-token loss of x given y, i.e. argmax mean log P(" " + x | y).</summary>
    Channel,

    /// <summary>Calibrated direct: argmin mean loss of y given x − mean loss of y given "N/A".</summary>
    DirectPlusPlus,
}
