namespace MoeGrains.Abstractions.Models;

/// <summary>A model as the cluster knows it.</summary>
/// <param name="Name">Model name.</param>
/// <param name="ConfigJson">The full model configuration (JSON, as the model library writes it).</param>
/// <param name="Version">Latest committed checkpoint version.</param>
/// <param name="Step">Training steps of that version.</param>
/// <param name="MoeLayers">Indices of the blocks with MoE layers.</param>
/// <param name="ExpertsPerLayer">Experts per MoE layer.</param>
[GenerateSerializer, Immutable, Alias("moe.ModelInfo")]
public sealed record ModelInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] string ConfigJson,
    [property: Id(2)] int Version,
    [property: Id(3)] long Step,
    [property: Id(4)] IReadOnlyList<int> MoeLayers,
    [property: Id(5)] int ExpertsPerLayer);
