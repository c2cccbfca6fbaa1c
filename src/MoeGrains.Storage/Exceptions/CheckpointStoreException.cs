namespace MoeGrains.Storage;

/// <summary>Base class of every error the checkpoint store raises on purpose.</summary>
public class CheckpointStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what was expected.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public CheckpointStoreException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
