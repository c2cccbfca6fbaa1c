using MoeGrains.Model.Routing;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MoeGrains.Model.Training;

/// <summary>
/// The training math shared by the in-process <see cref="Trainer"/> and the distributed router and expert shards:
/// optimizer parameter groups, the objective, gradient clipping and the step metrics.
/// </summary>
internal static class TrainingMath
{
    /// <summary>AdamW's second-moment decay, as in GPT-2-style training.</summary>
    public const double Beta2 = 0.95;

    /// <summary>What torch's clip_grad_norm_ adds to the norm before dividing.</summary>
    public const double ClipEpsilon = 1e-6;

    /// <summary>
    /// AdamW over <paramref name="parameters"/>: matrices are decayed; biases, norms and embeddings are not. Any subset
    /// of a model's parameters gets the group each parameter would get in the whole model.
    /// </summary>
    public static OptimizerHelper CreateOptimizer(IEnumerable<(string Name, Parameter Parameter)> parameters, TrainingOptions options)
    {
        var decayed = new List<Parameter>();
        var undecayed = new List<Parameter>();
        foreach (var (name, parameter) in parameters)
        {
            var isEmbedding = name.Contains("Embedding", StringComparison.OrdinalIgnoreCase);
            (parameter.dim() >= 2 && !isEmbedding ? decayed : undecayed).Add(parameter);
        }
        var groups = new List<AdamW.ParamGroup>
        {
            new(decayed, new AdamW.Options { LearningRate = options.LearningRate, weight_decay = options.WeightDecay, beta2 = Beta2 }),
            new(undecayed, new AdamW.Options { LearningRate = options.LearningRate, weight_decay = 0, beta2 = Beta2 }),
        };
        return optim.AdamW(groups, options.LearningRate);
    }

    /// <summary>The generator the gates draw from while training (BASE shuffles, top-2 sampling noise): seeded with Seed + 1.</summary>
    public static Generator CreateRoutingGenerator(TrainingOptions options, Device device) =>
        new((ulong)options.Seed + 1, device);

    /// <summary>
    /// Reseeds the routing generator for step <paramref name="step"/> (0-based), so the random draws of a step (BASE
    /// shuffles, top-2 sampling noise) depend only on the seed and the step: a run resumed from a checkpoint repeats them.
    /// </summary>
    public static Generator ForStep(Generator generator, TrainingOptions options, int step) =>
        generator.manual_seed(unchecked(options.Seed * 1_000_003L + step + 1));

    /// <summary>The learning-rate schedule of a run.</summary>
    public static LearningRateSchedule CreateSchedule(TrainingOptions options) =>
        new(options.LearningRate, options.EffectiveWarmupSteps, options.Steps, options.MinLearningRateRatio);

    /// <summary>Sets the learning rate of every parameter group.</summary>
    public static void SetLearningRate(OptimizerHelper optimizer, double learningRate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
    }

    /// <summary>The training objective: LM cross-entropy + AuxLossWeight · aux (just the LM loss when the weight is 0).</summary>
    public static Tensor Objective(Tensor lmLoss, Tensor auxLoss, ModelConfig config) =>
        config.AuxLossWeight > 0 ? lmLoss + config.AuxLossWeight * auxLoss : lmLoss;

    /// <summary>Per parameter, the float32 L2 norm of its gradient as clip_grad_norm_ computes it; NaN when it has no gradient.</summary>
    public static float[] GradNorms(IEnumerable<Parameter> parameters)
    {
        using var scope = NewDisposeScope();
        return [.. parameters.Select(parameter => parameter.grad is { } grad ? grad.norm().item<float>() : float.NaN)];
    }

    /// <summary>
    /// The clip_grad_norm_ factor from per-parameter gradient norms listed in the whole model's parameter order (NaN:
    /// no gradient): the total norm is the float32 norm of the stacked norms, exactly as libtorch computes it, so a
    /// router and its shards clip bit-identically to <see cref="Trainer"/>.
    /// </summary>
    public static double ClipScale(IReadOnlyList<float> normsInModelOrder, double clipNorm)
    {
        if (clipNorm <= 0) return 1;
        var norms = normsInModelOrder.Where(norm => !float.IsNaN(norm)).ToArray();
        if (norms.Length == 0) return 1;
        using var scope = NewDisposeScope();
        var total = norms.Length == 1 ? tensor(norms[0]) : tensor(norms).norm();
        return CoefficientOf(total, clipNorm);
    }

    private static double CoefficientOf(Tensor norm, double clipNorm) =>
        full_like(norm, clipNorm).div_(norm + ClipEpsilon).clamp(max: 1.0).item<float>();


    /// <summary>Multiplies every existing gradient by <paramref name="scale"/> (as clip_grad_norm_ does, even by 1).</summary>
    public static void ScaleGradients(IEnumerable<Parameter> parameters, double scale)
    {
        using var scope = NewDisposeScope();
        foreach (var parameter in parameters)
            parameter.grad?.mul_((float)scale);
    }

    /// <summary>Global clipping (when <paramref name="clipScale"/> ≠ 1), an AdamW step at <paramref name="learningRate"/>, then zeroed gradients.</summary>
    public static void ApplyStep(OptimizerHelper optimizer, IEnumerable<Parameter> parameters, double learningRate, double clipScale)
    {
        if (clipScale != 1) ScaleGradients(parameters, clipScale);
        SetLearningRate(optimizer, learningRate);
        optimizer.step();
        ClearGradients(parameters);
    }

    /// <summary>An optimizer's full state (options and per-parameter state), in TorchSharp's exact binary format.</summary>
    public static byte[] SaveOptimizerState(OptimizerHelper optimizer)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            optimizer.save_state_dict(writer);
        return stream.ToArray();
    }

    /// <summary>Restores a state written by <see cref="SaveOptimizerState"/> into an optimizer over the same parameters.</summary>
    public static void LoadOptimizerState(OptimizerHelper optimizer, byte[] state)
    {
        using var stream = new MemoryStream(state, writable: false);
        using var reader = new BinaryReader(stream);
        optimizer.load_state_dict(reader);
        if (stream.Position != stream.Length)
            throw new InvalidDataException($"{stream.Length - stream.Position} unexpected bytes after the optimizer state.");
    }

    /// <summary>Routing metrics of every MoE layer, bottom to top.</summary>
    public static List<LayerRoutingMetrics> LayerMetrics(IEnumerable<RoutingPlan> plans) =>
        plans.Select(plan => LayerRoutingMetrics.From(plan.Statistics, plan.AuxLoss?.item<float>() ?? 0)).ToList();

    /// <summary>The LM loss as reported in the metrics; throws when training diverged.</summary>
    public static float CheckedLoss(Tensor lmLoss, int step)
    {
        var loss = lmLoss.item<float>();
        if (!float.IsFinite(loss))
            throw new InvalidOperationException($"Training diverged at step {step}: loss is {loss}. Lower the learning rate.");
        return loss;
    }

    /// <summary>
    /// Drops every gradient (PyTorch's <c>zero_grad(set_to_none=True)</c>). A parameter that gets no gradient in a step —
    /// an expert that received no tokens — is then skipped by AdamW, whatever its history; zero-filled gradients would
    /// instead update it (decay, momentum) only if it ever had one, which a resumed run cannot know.
    /// </summary>
    public static void ClearGradients(IEnumerable<Parameter> parameters)
    {
        foreach (var parameter in parameters)
        {
            if (parameter.grad is null) continue;
            parameter.grad = null;
        }
    }
}
