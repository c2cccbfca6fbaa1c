using MoeGrains.Model.Data;
using static TorchSharp.torch;

namespace MoeGrains.Model.Inference;

/// <summary>
/// Any "logits for tokens" function: token ids [B, L] (int64) → next-token logits [B, L, V], the caller owning the
/// result. Wraps the in-process model (<see cref="ForModel"/>), a distributed router, or anything else, sync or async.
/// Inference sources route dropless (<see cref="Routing.RoutingContext.Dropless"/>), so each row's logits do not depend
/// on the other rows of the batch and batched scoring equals scoring one sequence at a time.
/// </summary>
public sealed class LogitsSource
{
    private readonly Func<Tensor, CancellationToken, Task<Tensor>> logits;

    /// <summary>Wraps an asynchronous logits function.</summary>
    /// <param name="logits">Token ids [B, L] → logits [B, L, V] (owned by the caller).</param>
    /// <param name="contextLength">The longest sequence the function accepts; longer contexts are left-truncated.</param>
    /// <param name="vocabularySize">V: token ids must lie in [0, V).</param>
    public LogitsSource(Func<Tensor, CancellationToken, Task<Tensor>> logits, int contextLength, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        this.logits = logits;
        ContextLength = contextLength;
        VocabularySize = vocabularySize;
    }

    /// <summary>Wraps a synchronous logits function.</summary>
    public LogitsSource(Func<Tensor, Tensor> logits, int contextLength, int vocabularySize)
        : this(Wrap(logits), contextLength, vocabularySize)
    {
    }

    /// <summary>The longest context the function accepts.</summary>
    public int ContextLength { get; }

    /// <summary>The vocabulary size V.</summary>
    public int VocabularySize { get; }

    /// <summary>
    /// The in-process model in evaluation mode without gradients and with dropless routing; <paramref name="domain"/>
    /// feeds the domain gate (the same domain for every sequence) and is required for one.
    /// </summary>
    public static LogitsSource ForModel(MoeLanguageModel model, long? domain = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (domain is null) DomainRouting.RequireRoutableWithoutDomain(model.Config, "The model");
        return new LogitsSource(tokens =>
        {
            model.eval();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var device = model.parameters().First().device;
            var domains = domain is null ? null : full(tokens.shape[0], domain.Value, ScalarType.Int64, device);
            return model.Forward(tokens.to(device), domains, dropless: true).Logits.MoveToOuterDisposeScope();
        }, model.Config.ContextLength, model.Config.VocabularySize);
    }

    /// <summary>Logits [B, L, V] for token ids [B, L].</summary>
    public Task<Tensor> LogitsAsync(Tensor tokens, CancellationToken cancellationToken = default) => logits(tokens, cancellationToken);

    /// <summary>Throws <see cref="ArgumentException"/> for an empty sequence or an id outside the vocabulary.</summary>
    internal void Validate(IReadOnlyList<int> tokens, string parameterName, int minimum, string what)
    {
        ArgumentNullException.ThrowIfNull(tokens, parameterName);
        if (tokens.Count < minimum)
            throw new ArgumentException(minimum == 1 ? $"The {what} is empty." : $"The {what} needs at least {minimum} tokens (got {tokens.Count}).", parameterName);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] < 0 || tokens[i] >= VocabularySize)
                throw new ArgumentException($"Token id {tokens[i]} at position {i} of the {what} is outside the vocabulary 0..{VocabularySize - 1}.", parameterName);
        }
    }

    private static Func<Tensor, CancellationToken, Task<Tensor>> Wrap(Func<Tensor, Tensor> logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        return (tokens, _) => Task.FromResult(logits(tokens));
    }
}
