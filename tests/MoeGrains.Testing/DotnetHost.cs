namespace MoeGrains.Testing;

/// <summary>Finds the <c>dotnet</c> host that runs this process, to start framework-dependent apps with the same runtime.</summary>
public static class DotnetHost
{
    /// <summary>
    /// <c>DOTNET_HOST_PATH</c> (set by the dotnet CLI for the processes it starts), else this process's executable when it is
    /// <c>dotnet</c>, else <c>$DOTNET_ROOT/dotnet</c>, else <c>dotnet</c> from <c>PATH</c>.
    /// </summary>
    public static string Path
    {
        get
        {
            if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
            if (Environment.ProcessPath is { } self && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
            if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(System.IO.Path.Combine(root, "dotnet")))
                return System.IO.Path.Combine(root, "dotnet");
            return "dotnet";
        }
    }
}
