namespace MoeGrains.Storage;

/// <summary>The <c>operation</c> tag values of the checkpoint metrics (<c>moegrains.checkpoint.bytes</c>, <c>.duration</c>).</summary>
public static class CheckpointOperations
{
    /// <summary>A blob written to the store.</summary>
    public const string Save = "save";

    /// <summary>A blob read from the store and verified.</summary>
    public const string Load = "load";
}
