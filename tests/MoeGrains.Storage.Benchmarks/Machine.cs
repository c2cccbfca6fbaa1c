namespace MoeGrains.Storage.Benchmarks;

/// <summary>Prints what the figures were measured on.</summary>
internal static class Machine
{
    public static void PrintHeader()
    {
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=')[1].Trim('"')
            : Environment.OSVersion.ToString();
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim()
            : "unknown";
        Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC | {Environment.ProcessorCount} cores | {cpu} | {os} | .NET {Environment.Version}");
    }
}
