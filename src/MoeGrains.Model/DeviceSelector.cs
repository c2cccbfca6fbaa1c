using Microsoft.Extensions.Logging;
using TorchSharp;
using static TorchSharp.torch;

namespace MoeGrains.Model;

/// <summary>Chooses the device tensors live on: <c>cuda:N</c> where CUDA is available, otherwise the CPU.</summary>
public static class DeviceSelector
{
    /// <summary>Resolves "auto", "cpu", "cuda" or "cuda:N".</summary>
    /// <remarks>A CUDA request on a host without CUDA falls back to the CPU with one warning naming the request.</remarks>
    /// <exception cref="ArgumentException">The request is not one of the accepted forms.</exception>
    public static Device Resolve(string? requested, ILogger logger)
    {
        var request = string.IsNullOrWhiteSpace(requested) ? "auto" : requested.Trim().ToLowerInvariant();
        if (request == "cpu") return CPU;
        if (request != "auto" && !request.StartsWith("cuda", StringComparison.Ordinal))
            throw new ArgumentException($"Unknown device '{requested}'. Expected auto, cpu, cuda or cuda:N.", nameof(requested));

        var index = 0;
        if (request.StartsWith("cuda:", StringComparison.Ordinal) && !int.TryParse(request[5..], out index))
            throw new ArgumentException($"Unknown device '{requested}': the CUDA index must be a number.", nameof(requested));

        if (cuda.is_available() && index < cuda.device_count())
            return new Device(DeviceType.CUDA, index);

        if (request == "auto")
            logger.LogInformation("CUDA is not available on this host; using the CPU.");
        else
            logger.LogWarning("Device '{Requested}' was asked for but CUDA is not available here (CPU build of LibTorch, or no GPU); falling back to the CPU.", requested);
        return CPU;
    }

    /// <summary>Parses a concrete device name: "cpu" or "cuda:N".</summary>
    /// <exception cref="ArgumentException">The name is neither.</exception>
    public static Device Parse(string name)
    {
        if (string.Equals(name, "cpu", StringComparison.OrdinalIgnoreCase)) return CPU;
        if (name.StartsWith("cuda:", StringComparison.OrdinalIgnoreCase) && int.TryParse(name[5..], out var index) && index >= 0)
            return new Device(DeviceType.CUDA, index);
        throw new ArgumentException($"'{name}' is not a device name; expected cpu or cuda:N.", nameof(name));
    }
}
