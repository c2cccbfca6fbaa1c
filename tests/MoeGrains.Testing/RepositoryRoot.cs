namespace MoeGrains.Testing;

/// <summary>Finds the repository root: the nearest folder above the running assembly that holds <c>MoeGrains.sln</c>.</summary>
public static class RepositoryRoot
{
    /// <summary>The repository root.</summary>
    /// <exception cref="InvalidOperationException">No folder above <see cref="AppContext.BaseDirectory"/> holds MoeGrains.sln.</exception>
    public static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "MoeGrains.sln"))) return folder.FullName;
        throw new InvalidOperationException($"No folder above '{AppContext.BaseDirectory}' contains MoeGrains.sln; run from inside the repository.");
    }
}
