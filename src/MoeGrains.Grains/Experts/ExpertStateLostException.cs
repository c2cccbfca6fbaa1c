namespace MoeGrains.Grains.Experts;

/// <summary>
/// An expert's weights are not at the step the router is at: it was reactivated (idle collection, silo loss, move)
/// and reloaded an earlier committed checkpoint. The router rolls the whole model back to that checkpoint.
/// </summary>
[GenerateSerializer, Alias("moe.ExpertStateLostException")]
public sealed class ExpertStateLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ExpertStateLostException(string message) : base(message) { }
}
