using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Cluster;
using MoeGrains.Grains.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace MoeGrains.Grains.Cluster;

/// <summary>
/// Lists silos and drains expert silos. Draining is done at the placement level, so it covers every expert grain type: the load
/// registry stops choosing the silo, and the silo's <see cref="ISiloExpertsGrain"/> migrates each activation holding a device
/// there, with a placement hint naming its new silo. Progress lives in memory; a drain survives this grain's reactivation
/// because the registry remembers which silos drain.
/// </summary>
internal sealed class ClusterOperationsGrain(
    IClusterMembershipService membership,
    ISiloMetadataCache metadata,
    ILogger<ClusterOperationsGrain> logger) : Grain, IClusterOperationsGrain
{
    /// <summary>A silo still hosting experts this long after the last move request is asked again (it was busy, or a move failed).</summary>
    private static readonly TimeSpan AskAgainAfter = TimeSpan.FromSeconds(2);

    /// <summary>How long a listing waits for one silo's count.</summary>
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(5);

    private readonly Dictionary<SiloAddress, DrainProgress> drains = [];

    private IExpertLoadRegistryGrain Registry => GrainFactory.GetGrain<IExpertLoadRegistryGrain>(0);

    public async Task<IReadOnlyList<SiloInfo>> ListSilosAsync()
    {
        var draining = (await Registry.GetDraining()).ToHashSet();
        var members = ActiveMembers();
        var hosted = await Task.WhenAll(members.Select(m => CountOrUnknownAsync(m.SiloAddress)));
        return [.. members.Select((m, i) =>
        {
            var offer = SiloOffer.From(metadata.GetSiloMetadata(m.SiloAddress));
            return new SiloInfo(m.SiloAddress.ToString(), m.Name, m.Status.ToString(), offer.Accelerator, offer.Devices, offer.ExpertSlots, hosted[i],
                draining.Contains(m.SiloAddress));
        })];
    }

    public async Task<DrainStatus> StartDrainAsync(string silo)
    {
        var address = Resolve(silo);
        var draining = (await Registry.GetDraining()).ToHashSet();
        var targets = Targets(address, draining);
        if (targets.Length == 0)
        {
            var others = string.Join("; ", ActiveMembers().Where(m => !m.SiloAddress.Equals(address))
                .Select(m => $"{m.SiloAddress} ({SiloOffer.From(metadata.GetSiloMetadata(m.SiloAddress))}{(draining.Contains(m.SiloAddress) ? ", draining" : "")})"));
            throw new InvalidOperationException(
                $"Cannot drain {address}: no other active expert silo could take its experts (other silos: {(others.Length == 0 ? "none" : others)}). " +
                "Start another expert silo (MoeGrains:Accelerator:ExpertSlots > 0) first. Nothing was moved and the silo is not marked draining.");
        }

        var experts = Experts(address);
        var hosted = await experts.CountAsync();
        await Registry.SetDraining(address);
        if (!drains.TryGetValue(address, out var progress))
        {
            progress = new DrainProgress(hosted);
            drains[address] = progress;
            logger.LogInformation("Draining {Silo}: {Experts} expert activation(s) move to {Targets}", address, hosted, string.Join(", ", targets.Select(t => t.Silo)));
        }
        await AskToMoveAsync(address, progress, targets);
        return progress.Status(address, await experts.CountAsync());
    }

    public async Task<DrainStatus> GetDrainStatusAsync(string silo)
    {
        var address = Resolve(silo, mustBeActive: false);
        var draining = (await Registry.GetDraining()).ToHashSet();
        if (!drains.TryGetValue(address, out var progress))
        {
            if (!draining.Contains(address))
                throw new ArgumentException($"Silo {address} is not being drained.");
            progress = new DrainProgress(0); // this grain was reactivated during the drain; the registry still knows it.
            drains[address] = progress;
        }
        if (!IsActive(address))
            return progress.Status(address, 0); // it left the cluster: it hosts nothing any more.

        var remaining = await Experts(address).CountAsync();
        if (remaining > 0 && progress.SinceLastAsk > AskAgainAfter && Targets(address, draining) is { Length: > 0 } targets)
            await AskToMoveAsync(address, progress, targets);
        return progress.Status(address, remaining);
    }

    /// <summary>A silo that has just died is still listed active until failure detection declares it dead: do not wait for it.</summary>
    private async Task<int> CountOrUnknownAsync(SiloAddress silo)
    {
        try
        {
            return await Experts(silo).CountAsync().WaitAsync(ListTimeout);
        }
        catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException)
        {
            logger.LogWarning("Silo {Silo} did not say how many experts it hosts: {Error}", silo, e.Message);
            return SiloInfo.Unknown;
        }
    }

    private async Task AskToMoveAsync(SiloAddress silo, DrainProgress progress, PlacementCandidate[] targets) =>
        progress.Asked(await Experts(silo).MoveAllAsync(targets));

    /// <summary>The active silos other than <paramref name="silo"/> that offer expert slots and are not draining.</summary>
    private PlacementCandidate[] Targets(SiloAddress silo, HashSet<SiloAddress> draining) =>
        [.. ActiveMembers()
            .Where(m => !m.SiloAddress.Equals(silo) && !draining.Contains(m.SiloAddress))
            .Select(m => (m.SiloAddress, Offer: SiloOffer.From(metadata.GetSiloMetadata(m.SiloAddress))))
            .Where(c => c.Offer.ExpertSlots > 0)
            .OrderBy(c => c.SiloAddress)
            .Select(c => new PlacementCandidate(c.SiloAddress, c.Offer.Devices, c.Offer.ExpertSlots))];

    private ISiloExpertsGrain Experts(SiloAddress silo) => GrainFactory.GetGrain<ISiloExpertsGrain>(silo.ToParsableString());

    private List<ClusterMember> ActiveMembers() =>
        [.. membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).OrderBy(m => m.SiloAddress)];

    private bool IsActive(SiloAddress silo) =>
        membership.CurrentSnapshot.Members.TryGetValue(silo, out var member) && member.Status == SiloStatus.Active;

    /// <summary>Accepts the address as listed (<c>S127.0.0.1:11111:123</c>), without the <c>S</c>, parsable (<c>127.0.0.1:11111@123</c>), or <c>host:port</c> when one active silo matches.</summary>
    private SiloAddress Resolve(string silo, bool mustBeActive = true)
    {
        if (string.IsNullOrWhiteSpace(silo)) throw new ArgumentException("A silo address is required (see `moe silos list`).");
        var text = silo.Trim();
        var members = membership.CurrentSnapshot.Members.Values.Where(m => !mustBeActive || m.Status == SiloStatus.Active).ToList();
        var matches = members.Where(m => m.SiloAddress.ToString() is var shown && (shown == text || shown == "S" + text || m.SiloAddress.ToParsableString() == text)).ToList();
        if (matches.Count == 0)
            matches = [.. members.Where(m => m.Status == SiloStatus.Active && $"{m.SiloAddress.Endpoint}" == text)];
        return matches.Count switch
        {
            1 => matches[0].SiloAddress,
            0 => throw new ArgumentException($"No {(mustBeActive ? "active " : "")}silo has the address '{silo}'. Active silos: {string.Join(", ", ActiveMembers().Select(m => m.SiloAddress))}."),
            _ => throw new ArgumentException($"'{silo}' matches several silos ({string.Join(", ", matches.Select(m => m.SiloAddress))}); give the full address."),
        };
    }
}
