using MoeGrains.Model.Layers;
using MoeGrains.Model.Routing;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MoeGrains.Model;

/// <summary>
/// A decoder-only transformer language model whose feed-forward sublayers are dense or sparse mixtures of experts:
/// token + learned position embeddings, pre-LayerNorm blocks, a final LayerNorm and an output head tied to the
/// token embedding.
/// </summary>
public sealed class MoeLanguageModel : nn.Module
{
    private const double InitStd = 0.02;

    private readonly Embedding tokenEmbedding;
    private readonly Embedding positionEmbedding;
    private readonly ModuleList<TransformerBlock> blocks;
    private readonly LayerNorm finalNorm;

    /// <summary>Builds a model with weights initialised from the current torch seed.</summary>
    /// <param name="config">The model configuration.</param>
    /// <param name="withExperts">
    /// False builds the router side of a distributed model: everything but the expert FFNs of the MoE layers, with the
    /// same parameter names, so its state dict is the full model's minus the expert entries. Its initial weights are
    /// not those of a full model built from the same seed (fewer modules draw from the generator): build a full model
    /// and split it with <see cref="Distributed.ModelPartition"/> to obtain matching halves.
    /// </param>
    public MoeLanguageModel(ModelConfig config, bool withExperts = true) : base("moe_lm")
    {
        Config = config.Validate();
        HasExperts = withExperts;
        tokenEmbedding = nn.Embedding(config.VocabularySize, config.ModelDim);
        positionEmbedding = nn.Embedding(config.ContextLength, config.ModelDim);
        blocks = new ModuleList<TransformerBlock>();
        for (var i = 0; i < config.Layers; i++) blocks.Add(new TransformerBlock($"block{i}", config, i, withExperts));
        finalNorm = nn.LayerNorm(config.ModelDim);
        RegisterComponents();
        InitialiseWeights();
    }

    /// <summary>The configuration the model was built from.</summary>
    public ModelConfig Config { get; }

    /// <summary>False for a router-side model built without expert modules.</summary>
    public bool HasExperts { get; }

    /// <summary>The transformer blocks, bottom to top.</summary>
    public IReadOnlyList<TransformerBlock> Blocks => [.. blocks];

    /// <summary>
    /// Runs the model on token ids [B, L] (L ≤ context length); <paramref name="domains"/> [B] feeds the domain gate;
    /// <paramref name="dropless"/> lifts the capacity limits (see <see cref="RoutingContext.Dropless"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The token tensor has the wrong rank, dtype or length, or an id is outside the vocabulary.</exception>
    /// <exception cref="InvalidOperationException">The model was built without experts and has a MoE layer.</exception>
    public ModelOutput Forward(Tensor tokens, Tensor? domains = null, Generator? generator = null, bool dropless = false)
    {
        using var scope = NewDisposeScope();
        var hidden = Embed(tokens);
        var context = CreateRoutingContext(tokens, domains, generator, dropless);

        var auxLoss = zeros([], dtype: hidden.dtype, device: hidden.device);
        var plans = new List<RoutingPlan>();
        foreach (var block in blocks)
        {
            var output = block.Forward(hidden, context);
            hidden = output.Hidden;
            if (output.Plan is null) continue;
            plans.Add(output.Plan);
            if (output.Plan.AuxLoss is not null) auxLoss = auxLoss + output.Plan.AuxLoss;
        }

        var logits = Head(hidden);
        foreach (var plan in plans) plan.MoveToOuterDisposeScope();
        return new ModelOutput(logits.MoveToOuterDisposeScope(), auxLoss.MoveToOuterDisposeScope(), plans);
    }

    /// <summary>Validates token ids [B, L] and returns the input of the first block: token + position embeddings [B, L, d].</summary>
    /// <exception cref="ArgumentException">The token tensor has the wrong rank, dtype or length, or an id is outside the vocabulary.</exception>
    public Tensor Embed(Tensor tokens)
    {
        ValidateTokens(tokens);
        using var positions = arange(tokens.shape[1], dtype: ScalarType.Int64, device: tokens.device);
        using var tokenVectors = tokenEmbedding.forward(tokens);
        using var positionVectors = positionEmbedding.forward(positions);
        return tokenVectors + positionVectors;
    }

    /// <summary>What the gates may know about tokens [B, L]: their ids and, per block, the domain ids [B] broadcast to positions.</summary>
    public static RoutingContext CreateRoutingContext(Tensor tokens, Tensor? domains, Generator? generator, bool dropless = false)
    {
        var (batch, length) = (tokens.shape[0], tokens.shape[1]);
        var tokenIds = tokens.reshape(-1);
        var domainIds = domains?.to(ScalarType.Int64).unsqueeze(1).expand(batch, length).reshape(-1);
        return new RoutingContext(tokenIds, domainIds, generator, dropless);
    }

    /// <summary>The output head: the final LayerNorm, then the tied embedding matrix; [B, L, d] → [B, L, V] logits.</summary>
    public Tensor Head(Tensor hidden)
    {
        using var normed = finalNorm.forward(hidden);
        return nn.functional.linear(normed, tokenEmbedding.weight!);
    }

    /// <summary>Mean next-token cross-entropy of <paramref name="logits"/> [B, L, V] against <paramref name="targets"/> [B, L].</summary>
    public static Tensor LanguageModelLoss(Tensor logits, Tensor targets) =>
        nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), targets.reshape(-1));

    private void ValidateTokens(Tensor tokens)
    {
        if (tokens.dim() != 2)
            throw new ArgumentException($"Token ids must be a [batch, length] tensor; got shape [{string.Join(", ", tokens.shape)}].", nameof(tokens));
        if (tokens.dtype != ScalarType.Int64)
            throw new ArgumentException($"Token ids must be int64; got {tokens.dtype}.", nameof(tokens));
        if (tokens.shape[1] < 1 || tokens.shape[1] > Config.ContextLength)
            throw new ArgumentException($"Sequence length {tokens.shape[1]} is outside 1..{Config.ContextLength} (the model's context length).", nameof(tokens));
        if (tokens.numel() == 0) return;
        var (min, max) = (tokens.min().item<long>(), tokens.max().item<long>());
        if (min < 0 || max >= Config.VocabularySize)
            throw new ArgumentException($"Token id {(min < 0 ? min : max)} is outside the vocabulary 0..{Config.VocabularySize - 1}.", nameof(tokens));
    }

    private void InitialiseWeights()
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith("centroids", StringComparison.Ordinal)) continue; // the BASE gate initialises its own
            if (parameter.dim() >= 2) nn.init.normal_(parameter, 0, InitStd);
            else if (name.EndsWith("bias", StringComparison.Ordinal)) nn.init.zeros_(parameter);
        }
    }
}
