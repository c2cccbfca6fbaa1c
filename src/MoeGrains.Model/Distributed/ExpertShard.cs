using MoeGrains.Model.Layers;
using MoeGrains.Model.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MoeGrains.Model.Distributed;

/// <summary>
/// One expert FFN of one MoE layer with its own AdamW: the expert side of distributed training. It runs the expert's
/// forward pass, keeps the graph until the matching backward pass, accumulates the parameter gradients and applies the
/// optimizer step with the router's learning rate and global clipping factor.
/// </summary>
/// <remarks>
/// The optimizer has the groups <see cref="Trainer"/> gives these parameters (weight decay on the two weight matrices,
/// none on the biases, β₂ = 0.95), so a router and its shards take the same steps as the in-process trainer. Several
/// forward passes may be pending at once (micro-batches), each under its own id. Not thread-safe: callers serialise
/// calls to one shard (a grain does). Returned tensors belong to the caller.
/// </remarks>
public sealed class ExpertShard : IDisposable
{
    private readonly ExpertFeedForward network;
    private readonly OptimizerHelper optimizer;
    private readonly IReadOnlyList<Parameter> parameters;
    private readonly Dictionary<long, (Tensor Input, Tensor Output)> pending = [];
    private readonly Device device;

    /// <summary>Creates the shard with freshly initialised weights (load real ones with <see cref="LoadState"/> or <see cref="LoadWeights"/>).</summary>
    /// <param name="key">The expert this shard holds.</param>
    /// <param name="config">The model configuration (d and the FFN width).</param>
    /// <param name="options">Training options (learning rate and weight decay; the schedule is the router's).</param>
    /// <param name="device">Where the weights live; the CPU when null.</param>
    /// <exception cref="ArgumentException">The key names no expert of <paramref name="config"/>.</exception>
    public ExpertShard(ExpertKey key, ModelConfig config, TrainingOptions options, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        config.Validate();
        options.Validate();
        if (key.Layer < 0 || key.Layer >= config.Layers || !config.IsMoeLayer(key.Layer))
            throw new ArgumentException($"Block {key.Layer} is not a MoE layer of this {config.Layers}-block {config.Gate} model.", nameof(key));
        if (key.Expert < 0 || key.Expert >= config.Experts)
            throw new ArgumentException($"Expert {key.Expert} is outside 0..{config.Experts - 1}.", nameof(key));
        Key = key;
        ModelDim = config.ModelDim;
        this.device = device ?? CPU;
        network = new ExpertFeedForward($"expert{key.Expert}", config.ModelDim, config.FeedForwardDim);
        if (this.device.type != DeviceType.CPU) network.to(this.device.type, this.device.index);
        parameters = [.. network.parameters()];
        optimizer = TrainingMath.CreateOptimizer(network.named_parameters(), options);
    }

    /// <summary>The expert this shard holds.</summary>
    public ExpertKey Key { get; }

    /// <summary>Width d of the expert's inputs and outputs.</summary>
    public int ModelDim { get; }

    /// <summary>The expert network (for inspection; train it through the shard).</summary>
    public ExpertFeedForward Network => network;

    /// <summary>Training forward passes still waiting for their backward pass.</summary>
    public int PendingCount => pending.Count;

    /// <summary>Runs the expert on <paramref name="inputs"/> [n, d] (n may be 0).</summary>
    /// <param name="inputs">float32 [n, d].</param>
    /// <param name="training">True keeps the graph for <see cref="Backward"/> under <paramref name="microBatch"/>; false runs without gradients.</param>
    /// <param name="microBatch">Id of the pending pass (training only); distinct ids let several micro-batches be in flight.</param>
    /// <returns>The outputs [n, d] (no gradient; owned by the caller).</returns>
    /// <exception cref="ArgumentException">The inputs have the wrong shape or dtype.</exception>
    /// <exception cref="InvalidOperationException">A training pass with the same id is still pending.</exception>
    public Tensor Forward(Tensor inputs, bool training, long microBatch = 0)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        Validate(inputs, "inputs", nameof(inputs));
        if (training && pending.ContainsKey(microBatch))
            throw new InvalidOperationException($"Expert ({Key}) already has a pending forward pass for micro-batch {microBatch}; run its backward first.");
        using var scope = NewDisposeScope();
        network.train(training);
        if (!training)
        {
            using var noGrad = no_grad();
            return network.forward(inputs.to(device)).MoveToOuterDisposeScope();
        }
        using var enableGrad = enable_grad();
        var input = inputs.to(device).detach().requires_grad_(true);
        var output = network.forward(input);
        pending[microBatch] = (input.DetachFromDisposeScope(), output.DetachFromDisposeScope());
        return output.detach().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Back-propagates <paramref name="gradOutputs"/> [n, d] (the loss gradient of the outputs of pending pass
    /// <paramref name="microBatch"/>), accumulating the parameter gradients.
    /// </summary>
    /// <returns>The gradient of the loss with respect to that pass's inputs [n, d] (owned by the caller).</returns>
    /// <exception cref="ArgumentException">The gradients do not match the pending outputs' shape or dtype.</exception>
    /// <exception cref="InvalidOperationException">No training forward pass is pending under that id.</exception>
    public Tensor Backward(Tensor gradOutputs, long microBatch = 0)
    {
        ArgumentNullException.ThrowIfNull(gradOutputs);
        if (!pending.TryGetValue(microBatch, out var pass))
            throw new InvalidOperationException($"Expert ({Key}) has no pending forward pass for micro-batch {microBatch}.");
        Validate(gradOutputs, "output gradients", nameof(gradOutputs), pass.Output.shape[0]);
        pending.Remove(microBatch);
        using var scope = NewDisposeScope();
        try
        {
            if (pass.Output.shape[0] == 0) return zeros_like(pass.Input).MoveToOuterDisposeScope();
            autograd.backward(pass.Output, gradOutputs.to(device));
            var grad = pass.Input.grad ?? throw new InvalidOperationException($"Expert ({Key}): the backward pass produced no input gradient.");
            return grad.detach().MoveToOuterDisposeScope();
        }
        finally
        {
            pass.Input.Dispose();
            pass.Output.Dispose();
        }
    }

    /// <summary>Drops every pending forward pass (e.g. after a failed step).</summary>
    public void DiscardPending()
    {
        foreach (var (input, output) in pending.Values)
        {
            input.Dispose();
            output.Dispose();
        }
        pending.Clear();
    }


    /// <summary>
    /// Per parameter (up.weight, up.bias, down.weight, down.bias), the float32 norm of its gradient, NaN when it has none:
    /// lets the router compute the global norm exactly as <see cref="Trainer"/>'s clip_grad_norm_ does.
    /// </summary>
    public float[] GradNorms() => TrainingMath.GradNorms(parameters);

    /// <summary>Scales the gradients by <paramref name="clipScale"/>, takes an AdamW step at <paramref name="learningRate"/> and zeroes the gradients.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate is not positive or the scale is outside (0, 1].</exception>
    /// <exception cref="InvalidOperationException">A forward pass is still waiting for its backward pass.</exception>
    public void ApplyStep(double learningRate, double clipScale)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a positive number.");
        if (!(clipScale > 0 && clipScale <= 1))
            throw new ArgumentOutOfRangeException(nameof(clipScale), clipScale, "The clipping scale must be in (0, 1].");
        if (pending.Count > 0)
            throw new InvalidOperationException($"Expert ({Key}) still has {pending.Count} forward pass(es) without a backward pass; run them or call DiscardPending first.");
        TrainingMath.ApplyStep(optimizer, parameters, learningRate, clipScale);
    }

    /// <summary>A copy of the expert's state dict (keys <c>up.weight</c>, <c>up.bias</c>, <c>down.weight</c>, <c>down.bias</c>).</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        using var noGrad = no_grad();
        return network.state_dict().ToDictionary(pair => pair.Key, pair =>
        {
            using var detached = pair.Value.detach();
            return detached.clone().DetachFromDisposeScope();
        });
    }

    /// <summary>Copies <paramref name="state"/> (as from <see cref="ModelPartition.Experts"/>) into the expert.</summary>
    /// <exception cref="ArgumentException">The names or shapes do not match.</exception>
    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        try
        {
            ModelPartition.LoadStrict(network, state);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Expert ({Key}): {e.Message}", nameof(state), e);
        }
    }

    /// <summary>The weights, serialised with TorchSharp's module format.</summary>
    public byte[] SaveWeights()
    {
        using var stream = new MemoryStream();
        network.save(stream);
        return stream.ToArray();
    }

    /// <summary>Restores weights written by <see cref="SaveWeights"/>.</summary>
    /// <exception cref="ArgumentException">The bytes are not this expert's weights.</exception>
    public void LoadWeights(byte[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        try
        {
            using var stream = new MemoryStream(weights, writable: false);
            network.load(stream, strict: true);
        }
        catch (Exception e) when (e is not ArgumentNullException)
        {
            throw new ArgumentException($"Expert ({Key}): the weights do not fit this expert: {e.Message}", nameof(weights), e);
        }
    }

    /// <summary>The AdamW state (per-parameter step, first and second moments; group options), serialised exactly.</summary>
    public byte[] SaveOptimizerState() => TrainingMath.SaveOptimizerState(optimizer);

    /// <summary>Restores optimizer state written by <see cref="SaveOptimizerState"/>.</summary>
    /// <exception cref="ArgumentException">The bytes are not an AdamW state of this expert's shape.</exception>
    public void LoadOptimizerState(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        try
        {
            TrainingMath.LoadOptimizerState(optimizer, state);
        }
        catch (Exception e) when (e is not ArgumentNullException)
        {
            throw new ArgumentException($"Expert ({Key}): the optimizer state does not fit this expert: {e.Message}", nameof(state), e);
        }
    }

    /// <summary>Frees the weights, the optimizer state and pending graphs.</summary>
    public void Dispose()
    {
        DiscardPending();
        optimizer.Dispose();
        network.Dispose();
    }

    private void Validate(Tensor tensor, string what, string parameterName, long? rows = null)
    {
        var shapeOk = tensor.dim() == 2 && tensor.shape[1] == ModelDim && (rows is null || tensor.shape[0] == rows);
        if (shapeOk && tensor.dtype == ScalarType.Float32) return;
        var expected = rows is null ? $"[n, {ModelDim}]" : $"[{rows}, {ModelDim}]";
        throw new ArgumentException(
            $"expert ({Key}) expects {expected} float32 {what}, got [{string.Join(", ", tensor.shape)}] {TypeName(tensor.dtype)}.", parameterName);
    }

    internal static string TypeName(ScalarType type) => type.ToString().ToLowerInvariant();
}
