namespace MoeGrains.Abstractions.Tensors;

/// <summary>Element types a <see cref="TensorPayload"/> can carry.</summary>
[GenerateSerializer, Alias("moe.TensorDType")]
public enum TensorDType
{
    /// <summary>32-bit IEEE float.</summary>
    Float32 = 0,

    /// <summary>64-bit IEEE float.</summary>
    Float64 = 1,

    /// <summary>64-bit signed integer (token ids).</summary>
    Int64 = 2,
}
