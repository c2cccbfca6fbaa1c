using System.Globalization;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace MoeGrains.Grains.Placement;

/// <summary>What one silo offers to experts, as read from (or written to) its Orleans silo metadata.</summary>
/// <param name="Accelerator">The accelerator name (<c>cpu</c>, <c>cuda</c>), or <see langword="null"/> where unknown.</param>
/// <param name="Devices">The number of devices (at least 1).</param>
/// <param name="ExpertSlots">The number of expert slots; 0 where the silo offers none or its metadata is unknown.</param>
public sealed record SiloOffer(string? Accelerator, int Devices, int ExpertSlots)
{
    /// <summary>The offer of a silo whose metadata has not (yet) been received.</summary>
    public static SiloOffer Unknown { get; } = new(null, 1, 0);

    /// <summary>Whether the silo published a <c>moe.*</c> offer at all.</summary>
    public bool IsKnown => Accelerator is not null;

    /// <summary>The offer described by <paramref name="options"/>.</summary>
    public static SiloOffer From(AcceleratorOptions options) =>
        new(options.Accelerator.ToString().ToLowerInvariant(), options.Devices, options.ExpertSlots);

    /// <summary>Reads the offer a silo published; missing or malformed keys read as <see cref="Unknown"/> values.</summary>
    public static SiloOffer From(SiloMetadata metadata)
    {
        var values = metadata.Metadata;
        values.TryGetValue(SiloMetadataKeys.Accelerator, out var accelerator);
        var devices = ReadInt(values, SiloMetadataKeys.Devices) is int d && d > 0 ? d : 1;
        var slots = ReadInt(values, SiloMetadataKeys.ExpertSlots) is int s && s > 0 ? s : 0;
        return new SiloOffer(accelerator, devices, slots);
    }

    /// <summary>The metadata entries that publish this offer.</summary>
    public IEnumerable<KeyValuePair<string, string>> ToMetadata()
    {
        yield return new(SiloMetadataKeys.Accelerator, Accelerator ?? "cpu");
        yield return new(SiloMetadataKeys.Devices, Devices.ToString(CultureInfo.InvariantCulture));
        yield return new(SiloMetadataKeys.ExpertSlots, ExpertSlots.ToString(CultureInfo.InvariantCulture));
    }

    /// <inheritdoc />
    public override string ToString() =>
        IsKnown ? $"{Accelerator} x{Devices}, {ExpertSlots} expert slot(s)" : "no moe.* metadata received (yet)";

    private static int? ReadInt(IReadOnlyDictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
