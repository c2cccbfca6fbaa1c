using System.Diagnostics;
using MoeGrains.Abstractions.Cluster;

namespace MoeGrains.Grains.Cluster;

/// <summary>The in-memory record of one silo's drain.</summary>
internal sealed class DrainProgress(int expertsAtStart)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private TimeSpan lastAsk;
    private int moves;

    public TimeSpan SinceLastAsk => clock.Elapsed - lastAsk;

    public void Asked(int activations)
    {
        moves += activations;
        lastAsk = clock.Elapsed;
    }

    public DrainStatus Status(SiloAddress silo, int remaining) => new(silo.ToString(), expertsAtStart, remaining, moves, clock.Elapsed);
}
