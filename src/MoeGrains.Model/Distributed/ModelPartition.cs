using static TorchSharp.torch;

namespace MoeGrains.Model.Distributed;

/// <summary>
/// A full model's weights split into the router's part (everything but the expert FFNs) and one state dict per expert
/// (keys relative to the expert, e.g. <c>up.weight</c>). Owns copies of the tensors; dispose it to free them.
/// </summary>
public sealed class ModelPartition : IDisposable
{
    private readonly Dictionary<string, Tensor> router;
    private readonly SortedDictionary<ExpertKey, Dictionary<string, Tensor>> experts;

    private ModelPartition(Dictionary<string, Tensor> router, SortedDictionary<ExpertKey, Dictionary<string, Tensor>> experts)
    {
        this.router = router;
        this.experts = experts;
    }

    /// <summary>The router's state: the full state dict minus every expert entry (the keys of an expert-less model).</summary>
    public IReadOnlyDictionary<string, Tensor> Router => router;

    /// <summary>Each expert's state dict, keyed by expert; keys are relative to the expert (<c>up.weight</c>, …).</summary>
    public IReadOnlyDictionary<ExpertKey, IReadOnlyDictionary<string, Tensor>> Experts =>
        experts.ToDictionary(pair => pair.Key, pair => (IReadOnlyDictionary<string, Tensor>)pair.Value);

    /// <summary>Splits (copies of) <paramref name="model"/>'s weights. The model must have its experts.</summary>
    /// <exception cref="ArgumentException">The model was built without experts.</exception>
    public static ModelPartition Split(MoeLanguageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.HasExperts)
            throw new ArgumentException("Only a full model (built with its experts) can be split; this one is router-only.", nameof(model));
        return Split(model.state_dict()); // the module's own tensors: copied, never disposed here
    }

    /// <summary>Splits (copies of) a full model's state dict.</summary>
    public static ModelPartition Split(IReadOnlyDictionary<string, Tensor> fullState)
    {
        ArgumentNullException.ThrowIfNull(fullState);
        var router = new Dictionary<string, Tensor>();
        var experts = new SortedDictionary<ExpertKey, Dictionary<string, Tensor>>(
            Comparer<ExpertKey>.Create((a, b) => a.Layer != b.Layer ? a.Layer.CompareTo(b.Layer) : a.Expert.CompareTo(b.Expert)));
        using var noGrad = no_grad();
        foreach (var (name, tensor) in fullState)
        {
            using var detached = tensor.detach();
            var copy = detached.clone().DetachFromDisposeScope();
            if (ExpertKey.TryParse(name, out var key, out var local))
            {
                if (!experts.TryGetValue(key, out var expert)) experts[key] = expert = new Dictionary<string, Tensor>();
                expert[local] = copy;
            }
            else
            {
                router[name] = copy;
            }
        }
        return new ModelPartition(router, experts);
    }

    /// <summary>
    /// The full state dict again: the router's entries and every expert's under its <see cref="ExpertKey.ParameterPrefix"/>.
    /// The tensors are the partition's own (not copies); load them into a model (which copies) before disposing the partition.
    /// </summary>
    public Dictionary<string, Tensor> Join() => Join(router, experts.ToDictionary(pair => pair.Key, pair => (IReadOnlyDictionary<string, Tensor>)pair.Value));

    /// <summary>Joins a router state and expert states (keys relative to the expert) into one full-model state dict.</summary>
    /// <exception cref="ArgumentException">An expert key collides with a router key.</exception>
    public static Dictionary<string, Tensor> Join(IReadOnlyDictionary<string, Tensor> routerState,
        IReadOnlyDictionary<ExpertKey, IReadOnlyDictionary<string, Tensor>> expertStates)
    {
        ArgumentNullException.ThrowIfNull(routerState);
        ArgumentNullException.ThrowIfNull(expertStates);
        var full = new Dictionary<string, Tensor>(routerState);
        foreach (var (key, state) in expertStates)
        {
            foreach (var (local, tensor) in state)
            {
                var name = key.ParameterPrefix + local;
                if (!full.TryAdd(name, tensor))
                    throw new ArgumentException($"The state of expert ({key}) collides with the router's entry '{name}'.", nameof(expertStates));
            }
        }
        return full;
    }

    /// <summary>Copies the joined weights into <paramref name="model"/> (a full model of the same config).</summary>
    /// <exception cref="ArgumentException">The model's parameters do not match the partition's (names or shapes).</exception>
    public void LoadInto(MoeLanguageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        LoadStrict(model, Join());
    }

    /// <summary>Copies the router's weights into <paramref name="routerModel"/> (built without experts).</summary>
    /// <exception cref="ArgumentException">The model's parameters do not match the router state (names or shapes).</exception>
    public void LoadRouterInto(MoeLanguageModel routerModel)
    {
        ArgumentNullException.ThrowIfNull(routerModel);
        LoadStrict(routerModel, router);
    }

    /// <summary>Loads <paramref name="state"/> into <paramref name="module"/>, requiring the same names and shapes.</summary>
    internal static void LoadStrict(nn.Module module, IReadOnlyDictionary<string, Tensor> state)
    {
        var target = module.state_dict(); // the module's own tensors: never disposed here
        var missing = target.Keys.Where(key => !state.ContainsKey(key)).ToList();
        var unexpected = state.Keys.Where(key => !target.ContainsKey(key)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new ArgumentException(
                $"The state does not match the module: missing [{string.Join(", ", missing.Take(5))}], unexpected [{string.Join(", ", unexpected.Take(5))}].");
        foreach (var (key, tensor) in target)
        {
            var source = state[key];
            if (!source.shape.SequenceEqual(tensor.shape) || source.dtype != tensor.dtype)
                throw new ArgumentException(
                    $"'{key}' is [{string.Join(", ", source.shape)}] {source.dtype}; the module expects [{string.Join(", ", tensor.shape)}] {tensor.dtype}.");
        }
        using var noGrad = no_grad();
        foreach (var (key, tensor) in target) tensor.copy_(state[key]);
    }

    /// <summary>Frees every tensor of the partition.</summary>
    public void Dispose()
    {
        foreach (var tensor in router.Values) tensor.Dispose();
        foreach (var state in experts.Values)
        foreach (var tensor in state.Values) tensor.Dispose();
        router.Clear();
        experts.Clear();
    }
}
