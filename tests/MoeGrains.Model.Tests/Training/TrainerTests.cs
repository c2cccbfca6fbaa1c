namespace MoeGrains.Model.Tests.Training;

public class TrainerTests
{
    public static TheoryData<GateKind> AllGates => new(Enum.GetValues<GateKind>());

    [Theory]
    [MemberData(nameof(AllGates))]
    public void Tiny_model_loss_falls_on_the_sample_corpus(GateKind gate)
    {
        var (model, losses) = TinyTraining.Run(gate, steps: 60);
        using (model)
        {
            var first = losses.Take(5).Average();
            var last = losses.TakeLast(5).Average();
            Assert.True(last < first - 0.5, $"{gate}: loss went from {first:F3} to {last:F3}; expected a drop of at least 0.5 nats.");
            Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        }
    }

    [Theory]
    [InlineData(GateKind.Switch)]
    [InlineData(GateKind.Top2)]
    [InlineData(GateKind.Base)]
    public void Identical_seeds_give_bit_identical_losses(GateKind gate)
    {
        var (a, lossesA) = TinyTraining.Run(gate, steps: 12, seed: 11);
        var (b, lossesB) = TinyTraining.Run(gate, steps: 12, seed: 11);
        var (c, lossesC) = TinyTraining.Run(gate, steps: 12, seed: 12);
        using (a) using (b) using (c)
        {
            Assert.Equal(lossesA, lossesB);
            Assert.NotEqual(lossesA, lossesC);
        }
    }

    [Fact]
    public void Learning_rate_warms_up_linearly_then_decays_by_cosine_to_the_floor()
    {
        var schedule = new MoeGrains.Model.Training.LearningRateSchedule(peak: 1.0, warmupSteps: 10, totalSteps: 110, minRatio: 0.1);
        Assert.Equal(0.1, schedule.At(0), 12);
        Assert.Equal(1.0, schedule.At(9), 12);
        Assert.Equal(1.0, schedule.At(10), 12);
        Assert.Equal(0.55, schedule.At(60), 12); // halfway through the cosine
        Assert.Equal(0.1, schedule.At(110), 12);
    }

    [Fact]
    public void Bad_training_options_are_rejected_with_the_setting_named()
    {
        var e = Assert.Throws<ArgumentException>(() => new MoeGrains.Model.Training.TrainingOptions(0).Validate());
        Assert.Contains("Steps", e.Message);
        e = Assert.Throws<ArgumentException>(() => new MoeGrains.Model.Training.TrainingOptions(10, BatchSize: -1).Validate());
        Assert.Contains("Batch size", e.Message);
    }
}

public class TrainerMemoryTests
{
    [Theory]
    [InlineData(GateKind.Switch)]
    [InlineData(GateKind.Base)]
    public void Live_native_tensors_stay_flat_over_many_steps(GateKind gate)
    {
        using var model = TinyTraining.NewModel(gate, seed: 3);
        var sampler = new MoeGrains.Model.Data.BlockSampler(TinyTraining.Train, model.Config.ContextLength, seed: 3);
        using var trainer = new MoeGrains.Model.Training.Trainer(model, new MoeGrains.Model.Training.TrainingOptions(400, 4, Seed: 3));
        var statistics = TorchSharp.DisposeScopeManager.Statistics;
        var liveAfter = new Dictionary<int, long>();
        trainer.Run(() => sampler.Next(4), m =>
        {
            if (m.Step is 20 or 400) liveAfter[m.Step] = statistics.ThreadTotalLiveCount;
        });
        Assert.Equal(liveAfter[20], liveAfter[400]);
    }
}
