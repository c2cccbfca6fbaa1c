using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MoeGrains.Model.Data;

/// <summary>
/// A multi-domain text corpus laid out as <c>&lt;directory&gt;/&lt;domain&gt;/{train,valid,test}.txt</c>,
/// UTF-8, documents separated by one blank line.
/// </summary>
/// <remarks>
/// <see cref="Load"/> reads and parses every split file once, eagerly, so that empty files are reported
/// up front. Domains are the subfolders holding at least one split file, sorted ordinally; a domain's id
/// is its index in <see cref="Domains"/>.
/// </remarks>
public sealed class DomainCorpus
{
    private static readonly CorpusSplit[] AllSplits = [CorpusSplit.Train, CorpusSplit.Valid, CorpusSplit.Test];

    private readonly Dictionary<string, int> idsByName;
    private readonly Dictionary<(int DomainId, CorpusSplit Split), IReadOnlyList<string>> documents;

    private DomainCorpus(
        string directory,
        IReadOnlyList<string> domains,
        Dictionary<(int DomainId, CorpusSplit Split), IReadOnlyList<string>> documents)
    {
        Directory = directory;
        Domains = domains;
        this.documents = documents;
        idsByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int id = 0; id < domains.Count; id++)
        {
            idsByName[domains[id]] = id;
        }
    }

    /// <summary>The corpus folder, as a full path.</summary>
    public string Directory { get; }

    /// <summary>The domain names, sorted ordinally; the index is the domain id.</summary>
    public IReadOnlyList<string> Domains { get; }

    /// <summary>The file name of a split: train.txt, valid.txt or test.txt.</summary>
    public static string FileName(CorpusSplit split) => split switch
    {
        CorpusSplit.Train => "train.txt",
        CorpusSplit.Valid => "valid.txt",
        CorpusSplit.Test => "test.txt",
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Unknown corpus split."),
    };

    /// <summary>Loads and parses every split file of every domain under <paramref name="directory"/>.</summary>
    /// <param name="directory">The corpus folder.</param>
    /// <param name="logger">Receives a warning for every split missing from a domain.</param>
    /// <exception cref="CorpusException">
    /// The folder is missing, has no domain subfolder with a split file, or a split file has no documents.
    /// </exception>
    public static DomainCorpus Load(string directory, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        logger ??= NullLogger.Instance;
        string root = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(root))
        {
            throw new CorpusException($"Corpus folder not found: {root}", root);
        }

        string[] domains = System.IO.Directory.GetDirectories(root)
            .Where(folder => AllSplits.Any(split => File.Exists(Path.Combine(folder, FileName(split)))))
            .Select(folder => Path.GetFileName(folder))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (domains.Length == 0)
        {
            throw new CorpusException(
                $"Corpus folder has no domain subfolders containing train.txt, valid.txt or test.txt: {root}", root);
        }

        var documents = new Dictionary<(int DomainId, CorpusSplit Split), IReadOnlyList<string>>();
        for (int id = 0; id < domains.Length; id++)
        {
            foreach (CorpusSplit split in AllSplits)
            {
                string file = Path.Combine(root, domains[id], FileName(split));
                if (!File.Exists(file))
                {
                    logger.LogWarning(
                        "Corpus domain '{Domain}' has no {File}; the domain is left out of that split ({Path}).",
                        domains[id],
                        FileName(split),
                        file);
                    continue;
                }

                List<string> parsed = DocumentParser.Parse(File.ReadAllText(file));
                if (parsed.Count == 0)
                {
                    throw new CorpusException(
                        $"Corpus domain '{domains[id]}' has no documents in {FileName(split)}: {file}", file);
                }

                documents[(id, split)] = parsed.AsReadOnly();
            }
        }

        return new DomainCorpus(root, Array.AsReadOnly(domains), documents);
    }

    /// <summary>The id of a domain: its index in <see cref="Domains"/>.</summary>
    /// <exception cref="ArgumentException">The corpus has no such domain.</exception>
    public int DomainId(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (idsByName.TryGetValue(name, out int id))
        {
            return id;
        }

        throw new ArgumentException(
            $"Unknown corpus domain '{name}'. Domains of {Directory}: {string.Join(", ", Domains)}.", nameof(name));
    }

    /// <summary>Whether the domain has the split's file.</summary>
    /// <exception cref="ArgumentException">The corpus has no such domain.</exception>
    public bool HasSplit(string domain, CorpusSplit split) => documents.ContainsKey((DomainId(domain), split));

    /// <summary>The documents of a domain's split, in file order.</summary>
    /// <exception cref="ArgumentException">The corpus has no such domain.</exception>
    /// <exception cref="CorpusException">The domain has no file for that split.</exception>
    public IReadOnlyList<string> Documents(string domain, CorpusSplit split)
    {
        if (documents.TryGetValue((DomainId(domain), split), out IReadOnlyList<string>? found))
        {
            return found;
        }

        string file = Path.Combine(Directory, domain, FileName(split));
        throw new CorpusException($"Corpus domain '{domain}' has no {FileName(split)}: {file}", file);
    }
}
