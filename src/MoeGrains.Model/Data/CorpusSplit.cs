namespace MoeGrains.Model.Data;

/// <summary>The three splits of every corpus domain.</summary>
public enum CorpusSplit
{
    /// <summary>train.txt</summary>
    Train,

    /// <summary>valid.txt</summary>
    Valid,

    /// <summary>test.txt</summary>
    Test,
}
