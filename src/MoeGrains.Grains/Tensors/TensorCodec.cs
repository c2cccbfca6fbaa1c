using MoeGrains.Abstractions.Tensors;
using static TorchSharp.torch;

namespace MoeGrains.Grains.Tensors;

/// <summary>Converts between TorchSharp tensors and <see cref="TensorPayload"/> (raw bytes + shape + dtype).</summary>
public static class TensorCodec
{
    /// <summary>Copies a tensor's elements (moved to the CPU, made contiguous) into a payload.</summary>
    /// <exception cref="ArgumentException">The element type has no wire form.</exception>
    public static TensorPayload ToPayload(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var dtype = tensor.dtype switch
        {
            ScalarType.Float32 => TensorDType.Float32,
            ScalarType.Float64 => TensorDType.Float64,
            ScalarType.Int64 => TensorDType.Int64,
            _ => throw new ArgumentException($"Tensors of type {tensor.dtype} cannot be sent; use float32, float64 or int64."),
        };
        var cpu = tensor.detach().cpu().contiguous();
        var bytes = new byte[cpu.numel() * TensorPayload.ElementSize(dtype)];
        cpu.bytes.CopyTo(bytes);
        return new TensorPayload(bytes, cpu.shape, dtype);
    }

    /// <summary>Creates a tensor from a payload on <paramref name="device"/>, checking its shape and type.</summary>
    /// <exception cref="ArgumentException">The payload is inconsistent, or does not have <paramref name="expectedColumns"/> columns / the expected type.</exception>
    public static Tensor FromPayload(TensorPayload payload, Device? device = null, TensorDType? expectedType = null, long? expectedColumns = null, string what = "tensor")
    {
        ArgumentNullException.ThrowIfNull(payload);
        payload.Validate();
        if (expectedType is { } type && payload.DType != type)
            throw new ArgumentException($"The {what} must be {type}; got {payload.DType} of shape {payload.ShapeText}.");
        if (expectedColumns is { } columns && (payload.Shape.Length != 2 || payload.Shape[1] != columns))
            throw new ArgumentException($"The {what} must have shape [n, {columns}]; got {payload.ShapeText}.");
        var scalarType = payload.DType switch
        {
            TensorDType.Float32 => ScalarType.Float32,
            TensorDType.Float64 => ScalarType.Float64,
            _ => ScalarType.Int64,
        };
        var tensor = empty(payload.Shape, scalarType);
        tensor.bytes = payload.Data;
        return device is null || device.type == TorchSharp.DeviceType.CPU ? tensor : tensor.to(device);
    }
}
