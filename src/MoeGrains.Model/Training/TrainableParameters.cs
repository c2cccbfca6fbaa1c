namespace MoeGrains.Model.Training;

/// <summary>Which parameters a training run updates.</summary>
public enum TrainableParameters
{
    /// <summary>Every parameter of the model.</summary>
    All,

    /// <summary>
    /// Only the expert feed-forward networks of the MoE layers (DEMix branch training); embeddings, attention, norms,
    /// dense FFNs and gates stay frozen.
    /// </summary>
    ExpertFeedForwards,
}
