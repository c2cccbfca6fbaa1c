using System.Diagnostics;
using MoeGrains.Model.Data;
using MoeGrains.Model.Layers;
using MoeGrains.Model.Routing;
using MoeGrains.Model.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MoeGrains.Model.Distributed;

/// <summary>
/// The router side of a distributed MoE model: embeddings, attention, norms, gates, dense FFNs and the output head
/// (a <see cref="MoeLanguageModel"/> built without experts) with its own AdamW. It trains with experts that live
/// behind an <see cref="IExpertExecutor"/>, by a staged forward and backward pass that produces the gradients autograd
/// would produce through the whole model, and the optimizer step, clipping and schedule of <see cref="Trainer"/>.
/// </summary>
/// <remarks>
/// <para>
/// Staging: the autograd graph is cut at every block input, and in MoE blocks also at the attention output a and the
/// feed-forward input h = LN2(a). Going down, each cut's gradient is complete before the part below it runs backward,
/// so the cost is linear in depth. In a MoE block the upper part (gate, combine, residual) runs backward first, giving
/// the expert outputs' gradients; the experts return their inputs' gradients, which are scattered into h's gradient
/// with the plan's token index exactly as autograd's index_select backward does.
/// </para>
/// <para>
/// TorchSharp dispose scopes and grad mode are per thread and an await may resume elsewhere, so each synchronous
/// section has its own scope and grad mode. Not thread-safe: one step or evaluation at a time.
/// </para>
/// </remarks>
public sealed class RouterShard : IDisposable
{
    private readonly MoeLanguageModel model;
    private readonly TrainingOptions options;
    private readonly OptimizerHelper optimizer;
    private readonly LearningRateSchedule schedule;
    private readonly Generator routingGenerator;
    private readonly IReadOnlyList<Parameter> parameters;
    private readonly IReadOnlyList<string> parameterNames;
    private readonly Device device;

    /// <summary>Creates the router with fresh weights (load real ones with <see cref="LoadState"/>).</summary>
    /// <param name="config">The model configuration.</param>
    /// <param name="options">Training options: schedule, clipping, weight decay, and the seed of the routing generator.</param>
    /// <param name="device">Where the router's weights live; the CPU when null.</param>
    public RouterShard(ModelConfig config, TrainingOptions options, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Validate();
        this.device = device ?? CPU;
        model = new MoeLanguageModel(config, withExperts: false);
        if (this.device.type != DeviceType.CPU) model.to(this.device.type, this.device.index);
        parameters = [.. model.parameters()];
        parameterNames = [.. model.named_parameters().Select(pair => pair.name)];
        optimizer = TrainingMath.CreateOptimizer(model.named_parameters(), options);
        schedule = TrainingMath.CreateSchedule(options);
        routingGenerator = TrainingMath.CreateRoutingGenerator(options, this.device);
    }

    /// <summary>The model configuration.</summary>
    public ModelConfig Config => model.Config;

    /// <summary>The router's model (built without experts).</summary>
    public MoeLanguageModel Model => model;

    /// <summary>Training steps completed by this router.</summary>
    public int CompletedSteps { get; private set; }

    /// <summary>Copies a router state (<see cref="ModelPartition.Router"/>) into the model.</summary>
    /// <exception cref="ArgumentException">The names or shapes do not match.</exception>
    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ModelPartition.LoadStrict(model, state);
    }

    /// <summary>The router's weights as bytes (TorchSharp's module format), for a checkpoint blob.</summary>
    public byte[] SaveWeights()
    {
        using var stream = new MemoryStream();
        model.save(stream);
        return stream.ToArray();
    }

    /// <summary>Restores weights written by <see cref="SaveWeights"/>.</summary>
    /// <exception cref="ArgumentException">The bytes are not this router's weights.</exception>
    public void LoadWeights(byte[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        try
        {
            using var stream = new MemoryStream(weights, writable: false);
            model.load(stream, strict: true);
        }
        catch (Exception e) when (e is not ArgumentNullException)
        {
            throw new ArgumentException($"The router weights do not fit this model: {e.Message}", nameof(weights), e);
        }
    }

    /// <summary>A copy of the router's state dict (the full model's minus the experts).</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        using var noGrad = no_grad();
        return model.state_dict().ToDictionary(pair => pair.Key, pair =>
        {
            using var detached = pair.Value.detach();
            return detached.clone().DetachFromDisposeScope();
        });
    }

    /// <summary>The router's AdamW state, serialised exactly.</summary>
    public byte[] SaveOptimizerState() => TrainingMath.SaveOptimizerState(optimizer);

    /// <summary>Restores a state written by <see cref="SaveOptimizerState"/>.</summary>
    public void LoadOptimizerState(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        TrainingMath.LoadOptimizerState(optimizer, state);
    }

    /// <summary>
    /// One training step on <paramref name="batch"/>: staged forward and backward through the router and the experts,
    /// global gradient clipping over router and expert gradients, and an AdamW step on both sides at the learning rate
    /// of step <paramref name="step"/>.
    /// </summary>
    /// <param name="batch">The batch (not disposed here).</param>
    /// <param name="experts">Runs the experts.</param>
    /// <param name="step">0-based index of the step (steps completed before it): selects the learning rate; the metrics report step + 1.</param>
    /// <param name="cancellationToken">Cancels between calls to the experts (a cancelled step leaves pending expert passes; see <see cref="ExpertShard.DiscardPending"/>).</param>
    /// <exception cref="InvalidOperationException">The executor answered with the wrong experts or shapes, or training diverged.</exception>
    public async Task<StepMetrics> TrainStepAsync(Batch batch, IExpertExecutor experts, int step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(experts);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        var stopwatch = Stopwatch.StartNew();
        using var bag = new TensorBag();
        model.train();
        var learningRate = schedule.At(step);

        // Forward, bottom-up.
        Tensor inputs, targets, embedded;
        RoutingContext context;
        using (NewDisposeScope())
        using (enable_grad())
        {
            TrainingMath.ClearGradients(parameters);
            inputs = bag.Keep(batch.Inputs().to(device));
            targets = bag.Keep(batch.Targets().to(device));
            embedded = bag.Keep(model.Embed(inputs));
            context = MoeLanguageModel.CreateRoutingContext(inputs, batch.Domains.to(device), TrainingMath.ForStep(routingGenerator, options, step));
            bag.Keep(context.TokenIds);
            bag.KeepOptional(context.DomainIds);
        }

        var stages = new List<Stage>();
        var hidden = embedded;
        for (var layer = 0; layer < model.Blocks.Count; layer++)
        {
            var stage = await ForwardBlockAsync(layer, hidden, context, experts, bag, cancellationToken).ConfigureAwait(false);
            stages.Add(stage);
            hidden = stage.Output;
        }

        Tensor lmLoss, auxLoss, topInput;
        using (NewDisposeScope())
        using (enable_grad())
        {
            topInput = bag.Keep(Leaf(hidden));
            var logits = model.Head(topInput);
            lmLoss = bag.Keep(MoeLanguageModel.LanguageModelLoss(logits, targets));
            using var noGrad = no_grad();
            var aux = zeros([], dtype: embedded.dtype, device: embedded.device);
            foreach (var stage in stages)
                if (stage.Plan?.AuxLoss is { } layerAux) aux = aux + layerAux;
            auxLoss = bag.Keep(aux);
        }

        // Backward, top-down.
        Tensor gradient;
        using (NewDisposeScope())
        {
            lmLoss.backward();
            gradient = bag.Keep(topInput.grad!);
        }
        for (var layer = stages.Count - 1; layer >= 0; layer--)
            gradient = await BackwardBlockAsync(layer, stages[layer], gradient, experts, bag, cancellationToken).ConfigureAwait(false);
        using (NewDisposeScope())
            autograd.backward(embedded, gradient);

        // Global clipping (the norm over router and expert gradients, in the full model's parameter order) and the steps.
        var clipScale = 1.0;
        if (options.ClipNorm > 0)
        {
            var routerNorms = TrainingMath.GradNorms(parameters);
            var expertNorms = await experts.GradNormsAsync(cancellationToken).ConfigureAwait(false);
            clipScale = TrainingMath.ClipScale(NormsInModelOrder(routerNorms, expertNorms), options.ClipNorm);
        }
        TrainingMath.ApplyStep(optimizer, parameters, learningRate, clipScale);
        await experts.ApplyStepAsync(learningRate, clipScale, cancellationToken).ConfigureAwait(false);

        var plans = stages.Where(stage => stage.Plan is not null).Select(stage => stage.Plan!).ToList();
        var layers = TrainingMath.LayerMetrics(plans);
        var loss = TrainingMath.CheckedLoss(lmLoss, step + 1);
        CompletedSteps = step + 1;
        return new StepMetrics(step + 1, loss, auxLoss.item<float>(), learningRate, inputs.numel(), stopwatch.Elapsed.TotalSeconds, layers);
    }

    /// <summary>
    /// Next-token logits [B, L, V] for token ids [B, L] in evaluation mode without gradients, as
    /// <see cref="MoeLanguageModel.Forward"/> computes them in evaluation (the top-2 gate's sampling noise, if any, comes
    /// from the global generator). The caller owns the result.
    /// </summary>
    /// <exception cref="ArgumentException">The tokens are not a valid [B, L] int64 batch for this model.</exception>
    /// <param name="tokens">Token ids [B, L].</param>
    /// <param name="domains">Domain ids [B] for the domain gate, or null.</param>
    /// <param name="experts">Runs the expert slices.</param>
    /// <param name="cancellationToken">Stops between layers.</param>
    /// <param name="dropless">Lifts the capacity limits (see <see cref="RoutingContext.Dropless"/>).</param>
    public async Task<Tensor> LogitsAsync(Tensor tokens, Tensor? domains, IExpertExecutor experts, CancellationToken cancellationToken = default,
        bool dropless = false)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(experts);
        using var bag = new TensorBag();
        model.eval();
        Tensor hidden;
        RoutingContext context;
        using (NewDisposeScope())
        using (no_grad())
        {
            var onDevice = bag.Keep(tokens.to(device));
            hidden = bag.Keep(model.Embed(onDevice));
            context = MoeLanguageModel.CreateRoutingContext(onDevice, domains?.to(device), generator: null, dropless);
            bag.Keep(context.TokenIds);
            bag.KeepOptional(context.DomainIds);
        }

        for (var layer = 0; layer < model.Blocks.Count; layer++)
        {
            var block = model.Blocks[layer];
            Tensor attended, flat;
            RoutedTokens routed;
            long[] shape;
            using (NewDisposeScope())
            using (no_grad())
            {
                attended = block.AttentionSublayer(hidden);
                var normed = block.FeedForwardInput(attended);
                if (block.Moe is null)
                {
                    hidden = bag.Keep(attended + block.DenseFeedForward(normed));
                    continue;
                }
                bag.Keep(attended);
                shape = normed.shape;
                flat = bag.Keep(normed.reshape(-1, shape[2]));
                var plan = bag.Keep(block.Moe.Gate.Route(flat, context));
                routed = bag.Keep(PlanExecutor.Gather(flat, plan));
            }

            var outputs = await RunExpertsAsync(layer, routed, experts, training: false, bag, cancellationToken).ConfigureAwait(false);
            using (NewDisposeScope())
            using (no_grad())
            {
                var combined = PlanExecutor.Combine(flat, routed, outputs);
                hidden = bag.Keep(attended + combined.view(shape));
            }
        }

        using (NewDisposeScope())
        using (no_grad())
            return model.Head(hidden).DetachFromDisposeScope();
    }

    /// <summary>
    /// The gradient norms in the order of a full model's parameters: each MoE block's experts (expert by expert,
    /// up.weight, up.bias, down.weight, down.bias) follow the block's last router parameter, as the experts are the last
    /// registered modules of a block.
    /// </summary>
    private List<float> NormsInModelOrder(float[] routerNorms, IReadOnlyDictionary<ExpertKey, float[]> expertNorms)
    {
        var ordered = new List<float>(routerNorms.Length + expertNorms.Count * 4);
        var expertsByLayer = ExpertKey.All(model.Config).GroupBy(key => key.Layer).ToDictionary(group => group.Key, group => group.ToList());
        var names = parameterNames;
        for (var i = 0; i < names.Count; i++)
        {
            ordered.Add(routerNorms[i]);
            var layer = BlockOf(names[i]);
            if (layer is null || (i + 1 < names.Count && BlockOf(names[i + 1]) == layer)) continue;
            if (!expertsByLayer.TryGetValue(layer.Value, out var keys)) continue;
            foreach (var key in keys)
            {
                if (!expertNorms.TryGetValue(key, out var norms))
                    throw new InvalidOperationException($"The expert executor reported no gradient norms for expert ({key}).");
                ordered.AddRange(norms);
            }
        }
        return ordered;
    }

    private static int? BlockOf(string parameterName)
    {
        if (!parameterName.StartsWith("blocks.", StringComparison.Ordinal)) return null;
        var end = parameterName.IndexOf('.', "blocks.".Length);
        return int.Parse(parameterName.AsSpan("blocks.".Length, end - "blocks.".Length), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Frees the model, the optimizer state and the routing generator.</summary>
    public void Dispose()
    {
        optimizer.Dispose();
        routingGenerator.Dispose();
        model.Dispose();
    }

    private async Task<Stage> ForwardBlockAsync(int layer, Tensor input, RoutingContext context, IExpertExecutor experts,
        TensorBag bag, CancellationToken cancellationToken)
    {
        var block = model.Blocks[layer];
        Tensor blockInput, attended, normed, attendedLeaf, normedLeaf, flat;
        RoutingPlan plan;
        RoutedTokens routed;
        using (NewDisposeScope())
        using (enable_grad())
        {
            blockInput = bag.Keep(Leaf(input));
            attended = bag.Keep(block.AttentionSublayer(blockInput));
            normed = bag.Keep(block.FeedForwardInput(attended));
            if (block.Moe is null)
                return new Stage(blockInput, bag.Keep(attended + block.DenseFeedForward(normed)));

            // Cut at a and h: the upper part (gate, experts, combine) runs backward before the lower part.
            attendedLeaf = bag.Keep(Leaf(attended));
            normedLeaf = bag.Keep(Leaf(normed));
            flat = bag.Keep(normedLeaf.reshape(-1, normed.shape[2]));
            plan = bag.Keep(block.Moe.Gate.Route(flat, context));
            routed = bag.Keep(PlanExecutor.Gather(flat, plan));
        }

        var outputs = await RunExpertsAsync(layer, routed, experts, training: true, bag, cancellationToken).ConfigureAwait(false);
        using (NewDisposeScope())
        using (enable_grad())
        {
            var outputLeaves = outputs.Select(output => bag.Keep(output.requires_grad_(true))).ToList();
            var combined = PlanExecutor.Combine(flat, routed, outputLeaves);
            var blockOutput = bag.Keep(attendedLeaf + combined.view(normed.shape));
            return new Stage(blockInput, blockOutput, attended, normed, attendedLeaf, normedLeaf, flat, plan, routed, outputLeaves);
        }
    }

    private async Task<Tensor> BackwardBlockAsync(int layer, Stage stage, Tensor gradient, IExpertExecutor experts,
        TensorBag bag, CancellationToken cancellationToken)
    {
        if (stage.Plan is null)
        {
            using (NewDisposeScope())
            {
                autograd.backward(stage.Output, gradient);
                return bag.Keep(stage.Input.grad!);
            }
        }

        // Upper part: residual, combine and gate (with the weighted aux loss), down to a and h.
        var routed = stage.Routed!;
        List<ExpertTensor> gradOutputs;
        using (NewDisposeScope())
        {
            var roots = new List<Tensor> { stage.Output };
            var grads = new List<Tensor> { gradient };
            var auxWeight = model.Config.AuxLossWeight;
            if (auxWeight > 0 && stage.Plan.AuxLoss is { } aux)
            {
                roots.Add(aux);
                grads.Add(full_like(aux, auxWeight));
            }
            autograd.backward(roots, grads);
            gradOutputs = routed.Slices
                .Select((slice, k) => new ExpertTensor(slice.Expert, bag.Keep(stage.OutputLeaves![k].grad!)))
                .ToList();
        }

        IReadOnlyList<ExpertTensor> gradInputs = gradOutputs.Count == 0
            ? []
            : await experts.BackwardAsync(layer, gradOutputs, cancellationToken).ConfigureAwait(false);
        foreach (var grad in gradInputs) bag.Keep(grad.Values);
        var inputGrads = CheckAnswer(layer, routed, gradInputs, "input gradients");

        // Lower part: attention and LN2, with a's residual gradient and h's gate + expert gradients.
        using (NewDisposeScope())
        {
            var shape = stage.Normed!.shape;
            var normedGrad = stage.NormedLeaf!.grad; // the gate's contribution, or null (hash, domain)
            if (inputGrads.Count > 0)
            {
                // As index_select's backward: zeros, then index_add of the gathered rows' gradients.
                var scattered = zeros_like(stage.Flat!).index_add_(0, routed.Index!, cat(inputGrads.ToList(), 0), 1).view(shape);
                normedGrad = normedGrad is null ? scattered : normedGrad + scattered;
            }
            var roots = new List<Tensor> { stage.Attended! };
            var grads = new List<Tensor> { stage.AttendedLeaf!.grad! };
            if (normedGrad is not null)
            {
                roots.Add(stage.Normed);
                grads.Add(normedGrad);
            }
            autograd.backward(roots, grads);
            return bag.Keep(stage.Input.grad!);
        }
    }

    private async Task<List<Tensor>> RunExpertsAsync(int layer, RoutedTokens routed, IExpertExecutor experts, bool training,
        TensorBag bag, CancellationToken cancellationToken)
    {
        if (routed.Slices.Count == 0) return [];
        List<ExpertTensor> requests;
        using (NewDisposeScope())
            requests = routed.Slices.Select((slice, k) => new ExpertTensor(slice.Expert, bag.Keep(routed.Inputs[k].detach()))).ToList();
        var answers = await experts.ForwardAsync(layer, requests, training, cancellationToken).ConfigureAwait(false);
        foreach (var answer in answers) bag.Keep(answer.Values);
        var outputs = CheckAnswer(layer, routed, answers, "outputs");
        using (NewDisposeScope())
            return outputs.Select(output => bag.Keep(output.to(device).detach())).ToList();
    }

    /// <summary>Checks that the executor answered for the requested experts, in order, with [n_e, d] float32 tensors.</summary>
    private List<Tensor> CheckAnswer(int layer, RoutedTokens routed, IReadOnlyList<ExpertTensor> answers, string what)
    {
        if (answers.Count != routed.Slices.Count)
            throw new InvalidOperationException($"Layer {layer}: the expert executor returned {answers.Count} {what} for {routed.Slices.Count} experts.");
        var tensors = new List<Tensor>(answers.Count);
        for (var k = 0; k < answers.Count; k++)
        {
            var (slice, answer) = (routed.Slices[k], answers[k]);
            var values = answer.Values;
            if (answer.Expert != slice.Expert)
                throw new InvalidOperationException($"Layer {layer}: the expert executor answered for expert {answer.Expert} where expert {slice.Expert} was asked.");
            if (values.dim() != 2 || values.shape[0] != slice.Count || values.shape[1] != model.Config.ModelDim || values.dtype != ScalarType.Float32)
                throw new InvalidOperationException(
                    $"Expert ({new ExpertKey(layer, slice.Expert)}) returned [{string.Join(", ", values.shape)}] {ExpertShard.TypeName(values.dtype)} {what}; expected [{slice.Count}, {model.Config.ModelDim}] float32.");
            tensors.Add(values);
        }
        return tensors;
    }

    /// <summary>A leaf copy of <paramref name="tensor"/>'s values (shared storage) that requires grad: a cut in the graph.</summary>
    private static Tensor Leaf(Tensor tensor) => tensor.detach().requires_grad_(true);

    /// <summary>What the backward pass of one block needs from its forward pass.</summary>
    private sealed record Stage(
        Tensor Input,
        Tensor Output,
        Tensor? Attended = null,
        Tensor? Normed = null,
        Tensor? AttendedLeaf = null,
        Tensor? NormedLeaf = null,
        Tensor? Flat = null,
        RoutingPlan? Plan = null,
        RoutedTokens? Routed = null,
        IReadOnlyList<Tensor>? OutputLeaves = null);
}
