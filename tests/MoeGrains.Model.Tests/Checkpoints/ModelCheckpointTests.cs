using MoeGrains.Model.Checkpoints;
using MoeGrains.Model.Tests.Training;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Checkpoints;

public sealed class ModelCheckpointTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("moe-ckpt-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(GateKind.Switch)]
    [InlineData(GateKind.Base)]
    [InlineData(GateKind.Domain)]
    public void Save_then_load_reproduces_the_outputs_exactly(GateKind gate)
    {
        var (model, _) = TinyTraining.Run(gate, steps: 5);
        using (model)
        {
            ModelCheckpoint.Save(folder, model, step: 5);
            using var loaded = ModelCheckpoint.Load(folder);
            Assert.Equal(model.Config, loaded.Config);
            Assert.Equal(5, ModelCheckpoint.ReadManifest(folder).Step);

            using var tokens = randint(0, model.Config.VocabularySize, [3, model.Config.ContextLength], dtype: ScalarType.Int64);
            using var domains = tensor(new long[] { 0, 1, 2 });
            model.eval();
            loaded.eval();
            using var noGrad = no_grad();
            using var expected = model.Forward(tokens, domains).Logits;
            using var actual = loaded.Forward(tokens, domains).Logits;
            Assert.True(expected.eq(actual).all().item<bool>(), "loaded model's logits differ from the saved model's");
        }
    }

    [Fact]
    public void A_corrupt_weights_file_is_refused_by_name()
    {
        using var model = TinyTraining.NewModel(GateKind.Switch, seed: 1);
        ModelCheckpoint.Save(folder, model);
        var weights = Path.Combine(folder, ModelCheckpoint.WeightsFile);
        var bytes = File.ReadAllBytes(weights);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);

        var e = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Load(folder));
        Assert.Contains("weights.bin is corrupt", e.Message);
    }

    [Fact]
    public void A_folder_that_is_not_a_checkpoint_is_refused()
    {
        var e = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Load(folder));
        Assert.Contains("is not a checkpoint", e.Message);
        e = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Load(Path.Combine(folder, "missing")));
        Assert.Contains("does not exist", e.Message);
    }
}
