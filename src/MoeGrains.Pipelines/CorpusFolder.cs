namespace MoeGrains.Pipelines;

/// <summary>Checks a dataset's corpus folder before a run: it exists and every domain has training text.</summary>
internal static class CorpusFolder
{
    /// <summary>
    /// The dataset's domains: <paramref name="listed"/> when given (each must be a folder with train.txt), else every
    /// domain folder with a train.txt. Problems go to the callbacks; the result then holds what was usable.
    /// </summary>
    public static IReadOnlyList<string> Domains(string folder, IReadOnlyList<string> listed, Action<string> folderProblem,
        Action<string, string> domainProblem)
    {
        if (!Directory.Exists(folder))
        {
            folderProblem($"corpus folder '{folder}' does not exist.");
            return listed;
        }
        var available = Directory.GetDirectories(folder)
            .Where(domain => File.Exists(Path.Combine(domain, "train.txt")))
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        if (listed.Count == 0)
        {
            if (available.Count == 0) folderProblem($"corpus folder '{folder}' has no <domain>/train.txt.");
            return available;
        }
        foreach (var domain in listed.Where(domain => !available.Contains(domain)))
            domainProblem(domain, $"domain '{domain}' has no train.txt in '{folder}' (available: {string.Join(", ", available)}).");
        foreach (var duplicate in listed.GroupBy(domain => domain).Where(group => group.Count() > 1))
            domainProblem(duplicate.Key, $"domain '{duplicate.Key}' is listed twice.");
        return listed;
    }
}
