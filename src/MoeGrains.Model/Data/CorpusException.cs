namespace MoeGrains.Model.Data;

/// <summary>A corpus folder or file is missing, empty or unusable.</summary>
public sealed class CorpusException : Exception
{
    /// <summary>Creates the exception with a message only.</summary>
    public CorpusException()
        : base("The corpus is unusable.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CorpusException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public CorpusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a path; the message should already name the path.</summary>
    public CorpusException(string message, string path)
        : base(message)
    {
        Path = path;
    }

    /// <summary>The folder or file the problem is about, when known.</summary>
    public string? Path { get; }
}
