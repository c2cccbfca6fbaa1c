using MoeGrains.Model;
using MoeGrains.Model.Checkpoints;

namespace MoeGrains.Faults.Tests.BadInput;

/// <summary>Writes a real in-process checkpoint of a tiny model and then flips one byte of its weights.</summary>
internal static class CorruptCheckpoint
{
    public static string Write(string scratch)
    {
        var folder = Path.Combine(scratch, "corrupt-checkpoint");
        using (var model = new MoeLanguageModel(ModelConfig.FromPreset("tiny", GateKind.Switch, 258, "bytes")))
            ModelCheckpoint.Save(folder, model);
        var weights = Directory.GetFiles(folder, "weights.bin").Single();
        var bytes = File.ReadAllBytes(weights);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);
        return folder;
    }
}
