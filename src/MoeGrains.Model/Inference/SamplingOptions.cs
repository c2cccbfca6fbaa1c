namespace MoeGrains.Model.Inference;

/// <summary>How <see cref="TextGenerator"/> picks each next token.</summary>
/// <param name="Temperature">0 is greedy (argmax, ties to the lowest id); otherwise logits are divided by it before sampling.</param>
/// <param name="TopK">Sample among the K most likely tokens only; 0 keeps all.</param>
/// <param name="TopP">Nucleus sampling: the smallest set of most likely tokens whose probability reaches P; 1 keeps all.</param>
/// <param name="Seed">Seeds the sampler, so equal seeds give equal text.</param>
public sealed record SamplingOptions(double Temperature = 0, int TopK = 0, double TopP = 1.0, int Seed = 0)
{
    /// <summary>Greedy decoding.</summary>
    public static SamplingOptions Greedy { get; } = new();

    /// <summary>True when no sampling happens.</summary>
    public bool IsGreedy => Temperature == 0;

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad setting.</summary>
    public SamplingOptions Validate()
    {
        if (!(Temperature >= 0) || double.IsInfinity(Temperature))
            throw new ArgumentException($"Temperature must be a finite number ≥ 0 (0 is greedy); got {Temperature}.");
        if (TopK < 0) throw new ArgumentException($"TopK must be ≥ 0 (0 keeps every token); got {TopK}.");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentException($"TopP must be in (0, 1]; got {TopP}.");
        return this;
    }
}
