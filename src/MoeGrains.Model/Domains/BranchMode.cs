using MoeGrains.Model.Training;

namespace MoeGrains.Model.Domains;

/// <summary>What a branch (one domain expert) trains on its domain's data.</summary>
public enum BranchMode
{
    /// <summary>DEMix: only the domain's expert FFNs; the shared layers stay frozen, so only the FFNs are stored per expert.</summary>
    FeedForward,

    /// <summary>Branch-Train-Merge: every parameter of the branch; the whole model is stored per expert.</summary>
    AllParameters,
}

/// <summary>Maps a branch mode to the trainer's parameter selection.</summary>
public static class BranchModes
{
    /// <summary>The parameters a branch of <paramref name="mode"/> trains.</summary>
    public static TrainableParameters Trainable(this BranchMode mode) => mode switch
    {
        BranchMode.FeedForward => TrainableParameters.ExpertFeedForwards,
        BranchMode.AllParameters => TrainableParameters.All,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown branch mode."),
    };
}
