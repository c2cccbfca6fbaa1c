namespace MoeGrains.Abstractions.Tensors;

/// <summary>
/// A dense tensor on the wire: raw little-endian bytes + shape + element type. Orleans copies a byte array as one
/// block; a float[] would be serialised element by element.
/// </summary>
/// <param name="Data">Row-major element bytes.</param>
/// <param name="Shape">Dimensions; the product times the element size equals Data.Length.</param>
/// <param name="DType">Element type.</param>
[GenerateSerializer, Immutable, Alias("moe.TensorPayload")]
public sealed record TensorPayload(
    [property: Id(0)] byte[] Data,
    [property: Id(1)] long[] Shape,
    [property: Id(2)] TensorDType DType)
{
    /// <summary>Bytes per element of <paramref name="dtype"/>.</summary>
    public static int ElementSize(TensorDType dtype) => dtype switch
    {
        TensorDType.Float32 => 4,
        TensorDType.Float64 => 8,
        TensorDType.Int64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown tensor element type."),
    };

    /// <summary>Number of elements the shape describes.</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, dim) => product * dim);

    /// <summary>Throws <see cref="ArgumentException"/> when the bytes do not match the shape and type.</summary>
    public TensorPayload Validate()
    {
        if (Shape.Any(dim => dim < 0))
            throw new ArgumentException($"Tensor shape [{string.Join(", ", Shape)}] has a negative dimension.");
        var expected = ElementCount * ElementSize(DType);
        if (Data.LongLength != expected)
            throw new ArgumentException($"Tensor of shape [{string.Join(", ", Shape)}] and type {DType} needs {expected} bytes; got {Data.LongLength}.");
        return this;
    }

    /// <summary>A shape as text, for error messages.</summary>
    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}
