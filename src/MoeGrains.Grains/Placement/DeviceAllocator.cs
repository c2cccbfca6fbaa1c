using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MoeGrains.Grains.Placement;

/// <summary>
/// Silo-local: gives each expert activation one device (the least loaded; ties to the lowest index) for its life and
/// takes it back on deactivation. Expert grains call <see cref="AcquireAsync"/> in <c>OnActivateAsync</c> and
/// <see cref="ReleaseAsync"/> in <c>OnDeactivateAsync</c>; both also keep the cluster's
/// <see cref="IExpertLoadRegistryGrain"/> current.
/// </summary>
public sealed class DeviceAllocator : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly object _gate = new();
    private readonly DeviceAssignment[] _devices;
    private readonly int[] _counts;
    private readonly Dictionary<GrainId, DeviceAssignment> _holders = [];
    private readonly Dictionary<GrainId, IGrainContext> _activations = [];
    private readonly IGrainFactory _grainFactory;
    private readonly IGrainContextAccessor _contexts;
    private readonly SiloAddress _silo;
    private readonly ILogger<DeviceAllocator> _logger;

    /// <summary>Creates the allocator for this silo's devices, logging where experts will run.</summary>
    public DeviceAllocator(
        IOptions<AcceleratorOptions> options,
        IAcceleratorProbe probe,
        IGrainFactory grainFactory,
        IGrainContextAccessor contexts,
        ILocalSiloDetails localSilo,
        ILogger<DeviceAllocator> logger)
    {
        _grainFactory = grainFactory;
        _contexts = contexts;
        _silo = localSilo.SiloAddress;
        _logger = logger;
        var accelerator = options.Value;
        var onCuda = accelerator.Accelerator == AcceleratorKind.Cuda;
        _devices = Enumerable.Range(0, accelerator.Devices)
            .Select(i => new DeviceAssignment(i, onCuda ? $"cuda:{i}" : "cpu"))
            .ToArray();
        _counts = new int[_devices.Length];

        if (onCuda)
            logger.LogInformation("Experts on this silo run on {Devices} CUDA device(s): {Names}.", _devices.Length, string.Join(", ", _devices.Select(d => d.Device)));
        else if (probe.IsCudaAvailable)
            logger.LogInformation("CUDA is available but {Section}:Accelerator=cpu: experts on this silo run on the CPU ({Devices} device slot(s)).", AcceleratorOptions.SectionName, _devices.Length);
        else
            logger.LogInformation("CUDA is not available on this host: experts on this silo run on the CPU ({Devices} device slot(s)).", _devices.Length);
    }

    /// <summary>This silo's devices, by index.</summary>
    public IReadOnlyList<DeviceAssignment> Devices => _devices;

    /// <summary>
    /// Gives <paramref name="grain"/> the least-loaded device (the same one again if it already holds one). Called from the
    /// grain's own activation, it also remembers that activation, so a drain can move it (<see cref="HeldActivations"/>).
    /// </summary>
    public DeviceAssignment Acquire(GrainId grain)
    {
        lock (_gate)
        {
            if (_contexts.GrainContext is { } context && context.GrainId == grain)
                _activations[grain] = context;
            if (_holders.TryGetValue(grain, out var held))
                return held;
            var index = 0;
            for (var i = 1; i < _counts.Length; i++)
                if (_counts[i] < _counts[index]) index = i;
            _counts[index]++;
            var assignment = _devices[index];
            _holders[grain] = assignment;
            _logger.LogDebug("{Grain} holds {Device} (device {Index})", grain, assignment.Device, index);
            return assignment;
        }
    }

    /// <summary>Takes back <paramref name="grain"/>'s device; returns whether it held one.</summary>
    public bool Release(GrainId grain)
    {
        lock (_gate)
        {
            _activations.Remove(grain);
            if (!_holders.Remove(grain, out var held))
                return false;
            _counts[held.Index]--;
            return true;
        }
    }

    /// <summary><see cref="Acquire"/>, then records the activation with the cluster's load registry.</summary>
    public async Task<DeviceAssignment> AcquireAsync(GrainId grain)
    {
        var assignment = Acquire(grain);
        await Registry.Confirm(grain, _silo);
        return assignment;
    }

    /// <summary><see cref="Release"/>, then tells the cluster's load registry (a failure there is logged, not thrown).</summary>
    public async Task ReleaseAsync(GrainId grain)
    {
        if (!Release(grain))
            return;
        try
        {
            await Registry.Release(grain, _silo);
        }
        catch (Exception exception)
        {
            _logger.LogWarning(exception, "Could not tell the expert load registry that {Grain} left {Silo}.", grain, _silo);
        }
    }

    /// <summary>How many expert activations hold a device of this silo now.</summary>
    public int HeldCount
    {
        get
        {
            lock (_gate)
                return _holders.Count;
        }
    }

    /// <summary>The activations holding a device that acquired it from their own activation (every expert grain does).</summary>
    public IReadOnlyList<IGrainContext> HeldActivations()
    {
        lock (_gate)
            return [.. _activations.Values];
    }

    /// <summary>The current number of activations on each device.</summary>
    public IReadOnlyList<DeviceLoad> GetLoads()
    {
        lock (_gate)
            return _devices.Select(d => new DeviceLoad(d.Index, d.Device, _counts[d.Index])).ToArray();
    }

    /// <summary>Nothing to do per stage: taking part makes the silo create the allocator, and log its devices, at start.</summary>
    void ILifecycleParticipant<ISiloLifecycle>.Participate(ISiloLifecycle lifecycle)
    {
    }

    private IExpertLoadRegistryGrain Registry => _grainFactory.GetGrain<IExpertLoadRegistryGrain>(0);
}
