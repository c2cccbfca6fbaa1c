using System.Runtime.InteropServices;
using System.Text;
using static TorchSharp.torch;

namespace MoeGrains.Model.Domains;

/// <summary>
/// A named subset of a model's float32 tensors as bytes: "MOEW", format, count, then per entry its name, rank, shape and
/// little-endian values. A domain expert stores only its FFNs this way; the shared layers stay in the shared checkpoint.
/// </summary>
public static class ExpertWeightsFile
{
    private const string Magic = "MOEW";
    private const int Format = 1;

    /// <summary>Serialises <paramref name="entries"/> (float32 tensors).</summary>
    /// <exception cref="ArgumentException">A tensor is not float32.</exception>
    public static byte[] Write(IReadOnlyList<(string Name, Tensor Tensor)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Encoding.ASCII.GetBytes(Magic));
            writer.Write(Format);
            writer.Write(entries.Count);
            foreach (var (name, tensor) in entries)
            {
                if (tensor.dtype != ScalarType.Float32)
                    throw new ArgumentException($"'{name}' is {tensor.dtype}; expert weights are float32.", nameof(entries));
                writer.Write(name);
                writer.Write((int)tensor.dim());
                foreach (var size in tensor.shape) writer.Write(size);
                using var cpu = tensor.detach().cpu().contiguous();
                writer.Write(MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()));
            }
        }
        return stream.ToArray();
    }

    /// <summary>
    /// Copies the stored values into <paramref name="model"/>'s tensors of the same names. Every stored entry must match
    /// a tensor of the model in shape; <paramref name="required"/> names the entries that must be present.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not an expert weights file, an entry is unknown or misshapen, or a required one is missing.</exception>
    public static void Read(byte[] content, MoeLanguageModel model, IEnumerable<string> required)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(model);
        var targets = model.state_dict();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var stream = new MemoryStream(content, writable: false);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            if (Encoding.ASCII.GetString(reader.ReadBytes(4)) != Magic || reader.ReadInt32() != Format)
                throw new InvalidDataException("Not an expert weights file (bad magic or format).");
            var count = reader.ReadInt32();
            using var noGrad = no_grad();
            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var shape = new long[reader.ReadInt32()];
                for (var d = 0; d < shape.Length; d++) shape[d] = reader.ReadInt64();
                if (!targets.TryGetValue(name, out var target))
                    throw new InvalidDataException($"The expert weights hold '{name}', which the model does not have.");
                if (!target.shape.SequenceEqual(shape))
                    throw new InvalidDataException($"'{name}' is stored as [{string.Join(", ", shape)}]; the model has [{string.Join(", ", target.shape)}].");
                var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
                var bytes = reader.ReadBytes(values.Length * sizeof(float));
                if (bytes.Length != values.Length * sizeof(float)) throw new EndOfStreamException();
                bytes.AsSpan().CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
                using var source = tensor(values, shape);
                target.copy_(source);
                seen.Add(name);
            }
            if (stream.Position != stream.Length)
                throw new InvalidDataException($"{stream.Length - stream.Position} unexpected bytes after the expert weights.");
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The expert weights file is truncated.", e);
        }
        var missing = required.Where(name => !seen.Contains(name)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"The expert weights lack {missing.Count} entries, e.g. '{missing[0]}'.");
    }
}
