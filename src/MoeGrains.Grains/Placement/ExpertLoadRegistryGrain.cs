using Microsoft.Extensions.Logging;

namespace MoeGrains.Grains.Placement;

/// <summary>In-memory <see cref="IExpertLoadRegistryGrain"/>; entries on silos that membership declares dead are dropped.</summary>
internal sealed class ExpertLoadRegistryGrain(IClusterMembershipService membership, ILogger<ExpertLoadRegistryGrain> logger)
    : Grain, IExpertLoadRegistryGrain
{
    private readonly Dictionary<GrainId, SiloAddress> _activations = [];
    private readonly HashSet<SiloAddress> _draining = [];

    public Task<SiloAddress> Place(GrainId grain, PlacementCandidate[] candidates)
    {
        if (candidates.Length == 0)
            throw new ArgumentException("There must be at least one candidate silo.", nameof(candidates));
        ForgetDeadSilos();
        var offered = candidates;
        candidates = [.. offered.Where(c => !_draining.Contains(c.Silo))];
        if (candidates.Length == 0)
            throw new NoExpertSiloException($"Cannot place {grain}: every expert silo is draining ({string.Join(", ", offered.Select(c => c.Silo))}). Start another expert silo.");

        if (_activations.TryGetValue(grain, out var existing) && candidates.Any(c => c.Silo.Equals(existing)))
            return Task.FromResult(existing);

        var loads = CountPerSilo();
        var (index, overflow) = LeastLoadedChoice.Choose(
            candidates.Select(c => (loads.GetValueOrDefault(c.Silo), c.Devices, c.ExpertSlots)).ToList());
        var chosen = candidates[index].Silo;
        if (overflow)
            logger.LogWarning("Every expert silo is full ({Candidates}); placing {Grain} on {Silo} beyond its expert slots.",
                string.Join(", ", candidates.Select(c => $"{c.Silo}: {loads.GetValueOrDefault(c.Silo)}/{c.ExpertSlots}")), grain, chosen);

        _activations[grain] = chosen;
        logger.LogDebug("Placed {Grain} on {Silo}", grain, chosen);
        return Task.FromResult(chosen);
    }

    public Task Confirm(GrainId grain, SiloAddress silo)
    {
        _activations[grain] = silo;
        return Task.CompletedTask;
    }

    public Task Release(GrainId grain, SiloAddress silo)
    {
        if (_activations.TryGetValue(grain, out var current) && current.Equals(silo))
            _activations.Remove(grain);
        return Task.CompletedTask;
    }

    public Task SetDraining(SiloAddress silo)
    {
        if (_draining.Add(silo))
            logger.LogInformation("Silo {Silo} is draining: no expert is placed there any more", silo);
        return Task.CompletedTask;
    }

    public Task<SiloAddress[]> GetDraining()
    {
        ForgetDeadSilos();
        return Task.FromResult(_draining.ToArray());
    }

    public Task<Dictionary<SiloAddress, int>> GetLoads() => Task.FromResult(CountPerSilo());

    private Dictionary<SiloAddress, int> CountPerSilo() =>
        _activations.Values.GroupBy(silo => silo).ToDictionary(g => g.Key, g => g.Count());

    private void ForgetDeadSilos()
    {
        var members = membership.CurrentSnapshot.Members;
        foreach (var (grain, silo) in _activations.ToList())
        {
            if (members.TryGetValue(silo, out var member) && member.Status == SiloStatus.Dead)
                _activations.Remove(grain);
        }
        _draining.RemoveWhere(silo => members.TryGetValue(silo, out var member) && member.Status == SiloStatus.Dead);
    }
}
