namespace MoeGrains.Abstractions.Pipelines;

/// <summary>A dataset a pipeline reads: a corpus folder (<c>&lt;domain&gt;/{train,valid,test}.txt</c>) uploaded to the store.</summary>
/// <param name="Name">Name stages refer to, and the dataset's name in the store.</param>
/// <param name="Path">Corpus folder, resolved against the pipeline file's folder when relative.</param>
/// <param name="Domains">The domains the dataset holds (all domain folders when the file lists none).</param>
[GenerateSerializer, Immutable, Alias("moe.PipelineDataset")]
public sealed record PipelineDataset(
    [property: Id(0)] string Name,
    [property: Id(1)] string Path,
    [property: Id(2)] IReadOnlyList<string> Domains);
