namespace MoeGrains.Model.Domains;

/// <summary>What a stored domain expert is: <c>expert.json</c>, written after its weights.</summary>
/// <param name="Format">Layout version.</param>
/// <param name="Domain">The expert's domain.</param>
/// <param name="Mode">FFNs only (DEMix) or all parameters (BTM): what the weights file holds.</param>
/// <param name="Step">Branch-training steps.</param>
/// <param name="SharedWeightsSha256">SHA-256 of the shared checkpoint's weights the FFNs belong with.</param>
/// <param name="WeightsSha256">SHA-256 of the expert's weights file.</param>
/// <param name="Parent">The expert an added expert was initialised from, or null.</param>
public sealed record DomainExpertManifest(int Format, string Domain, BranchMode Mode, int Step, string SharedWeightsSha256,
    string WeightsSha256, string? Parent = null)
{
    /// <summary>The format this version writes.</summary>
    public const int CurrentFormat = 1;
}
