namespace MoeGrains.Grains.Experts;

/// <summary>Blob paths inside a checkpoint version, keyed by global ids so a checkpoint fits any cluster size.</summary>
public static class CheckpointPaths
{
    /// <summary>The router's weights.</summary>
    public const string RouterWeights = "router/weights.bin";

    /// <summary>The router's optimizer state.</summary>
    public const string RouterOptimizer = "router/optimizer.bin";

    /// <summary>An expert's weights.</summary>
    public static string ExpertWeights(int layer, int expert) => $"experts/{layer}-{expert}/weights.bin";

    /// <summary>An expert's optimizer state.</summary>
    public static string ExpertOptimizer(int layer, int expert) => $"experts/{layer}-{expert}/optimizer.bin";
}
