using MoeGrains.Abstractions.Tensors;
using MoeGrains.Grains.Tensors;
using static TorchSharp.torch;

namespace MoeGrains.Cluster.Tests.Contract;

/// <summary>Tensors survive the trip to a <see cref="TensorPayload"/> and back, for every wire type.</summary>
public sealed class TensorCodecTests
{
    [Fact]
    public void Float32_round_trips_bit_for_bit_including_non_contiguous_views()
    {
        using var scope = NewDisposeScope();
        var original = randn(3, 5).t(); // a transposed view: not contiguous
        var payload = TensorCodec.ToPayload(original);

        Assert.Equal(TensorDType.Float32, payload.DType);
        Assert.Equal(new long[] { 5, 3 }, payload.Shape);
        Assert.Equal(5 * 3 * 4, payload.Data.Length);
        var back = TensorCodec.FromPayload(payload);
        Assert.Equal(ScalarType.Float32, back.dtype);
        Assert.Equal(original.shape, back.shape);
        Assert.Equal(original.contiguous().data<float>().ToArray(), back.data<float>().ToArray());
    }

    [Fact]
    public void Float64_round_trips_bit_for_bit()
    {
        using var scope = NewDisposeScope();
        var original = tensor(new[] { Math.PI, -0.0, double.MaxValue, double.Epsilon, 1e-300 }, float64);
        var back = TensorCodec.FromPayload(TensorCodec.ToPayload(original));

        Assert.Equal(ScalarType.Float64, back.dtype);
        Assert.Equal(original.data<double>().ToArray().Select(BitConverter.DoubleToInt64Bits), back.data<double>().ToArray().Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Int64_round_trips_in_three_dimensions_and_empty_tensors_keep_their_shape()
    {
        using var scope = NewDisposeScope();
        var original = tensor(new long[] { long.MinValue, -1, 0, 1, 255, 256, 50256, long.MaxValue }, int64).reshape(2, 2, 2);
        var back = TensorCodec.FromPayload(TensorCodec.ToPayload(original));
        Assert.Equal(ScalarType.Int64, back.dtype);
        Assert.Equal(new long[] { 2, 2, 2 }, back.shape);
        Assert.Equal(original.data<long>().ToArray(), back.data<long>().ToArray());

        var empty = TensorCodec.FromPayload(TensorCodec.ToPayload(zeros(0, 32)));
        Assert.Equal(new long[] { 0, 32 }, empty.shape);
    }

    [Fact]
    public void A_type_without_a_wire_form_is_refused_by_name()
    {
        using var scope = NewDisposeScope();
        var failure = Assert.Throws<ArgumentException>(() => TensorCodec.ToPayload(ones(2, dtype: float16)));
        Assert.Contains("Float16", failure.Message);
    }
}
