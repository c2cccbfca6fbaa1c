namespace MoeGrains.Model.Tests.TestData;

/// <summary>A corpus folder under the temp directory, written file by file and deleted on dispose.</summary>
internal sealed class TempCorpus : IDisposable
{
    public TempCorpus()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "moegrains-corpus-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>Writes <c>&lt;domain&gt;/&lt;fileName&gt;</c> with exactly the given text (no newline conversion).</summary>
    public TempCorpus Write(string domain, string fileName, string text)
    {
        string folder = System.IO.Path.Combine(Directory, domain);
        System.IO.Directory.CreateDirectory(folder);
        File.WriteAllText(System.IO.Path.Combine(folder, fileName), text);
        return this;
    }

    /// <summary>Creates an empty subfolder.</summary>
    public TempCorpus Folder(string name)
    {
        System.IO.Directory.CreateDirectory(System.IO.Path.Combine(Directory, name));
        return this;
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
