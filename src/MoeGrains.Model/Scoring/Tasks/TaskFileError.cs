namespace MoeGrains.Model.Scoring.Tasks;

/// <summary>Errors of a task file that cannot be used: the message names the file, the line and what was wrong.</summary>
public static class TaskFileError
{
    /// <summary>An <see cref="InvalidDataException"/> for <paramref name="line"/> (1-based; 0 for the whole file) of <paramref name="path"/>.</summary>
    public static InvalidDataException At(string path, int line, string problem, Exception? inner = null) =>
        new(line > 0 ? $"Task file '{path}', line {line}: {problem}" : $"Task file '{path}': {problem}", inner);
}
