using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace MoeGrains.Deploy.Tests.Manifests;

/// <summary>
/// The Dockerfiles checked offline (no Docker engine here): stages and base images, publish commands that name real projects,
/// restore layers that copy every project the published ones reference, and entrypoints that are the published assemblies.
/// </summary>
public sealed partial class DockerfileTests
{
    [Fact]
    public void Cpu_image_builds_on_the_dotnet_10_sdk_and_runs_on_the_noble_runtime()
    {
        var file = Dockerfile.Load(DeploymentFiles.Docker("Dockerfile"));
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0-noble", file["build"].Image);
        Assert.Equal("mcr.microsoft.com/dotnet/runtime:10.0-noble", file["runtime-base"].Image);
        Assert.Equal("runtime-base", file["silo"].Image);
        Assert.Equal("runtime-base", file["cli"].Image);
        Assert.Contains(file["runtime-base"].Run, r => r.Contains("libgomp1", StringComparison.Ordinal));
        AssertPublishes(file, "cpu");
    }

    [Fact]
    public void Cuda_image_builds_with_the_cuda_backend_on_an_nvidia_cuda_noble_runtime()
    {
        var file = Dockerfile.Load(DeploymentFiles.Docker("Dockerfile.cuda"));
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0-noble", file["build"].Image);
        Assert.StartsWith("nvidia/cuda:", file["runtime-base"].Image, StringComparison.Ordinal);
        Assert.EndsWith("ubuntu24.04", file["runtime-base"].Image, StringComparison.Ordinal);
        Assert.Contains(file["runtime-base"].Copy, c => c.StartsWith("--from=dotnet-runtime /usr/share/dotnet", StringComparison.Ordinal));
        Assert.Equal("mcr.microsoft.com/dotnet/runtime:10.0-noble", file["dotnet-runtime"].Image);
        AssertPublishes(file, "cuda");
        // The switch the build uses is the one Directory.Build.props and MoeGrains.Model read.
        var model = File.ReadAllText(Path.Combine(DeploymentFiles.Root, "src", "MoeGrains.Model", "MoeGrains.Model.csproj"));
        Assert.Contains("'$(TorchBackend)' == 'cuda'", model, StringComparison.Ordinal);
    }

    private static void AssertPublishes(Dockerfile file, string backend)
    {
        var root = DeploymentFiles.Root;
        var publishes = file["build"].Run.SelectMany(r => PublishPattern().Matches(r)).ToList();
        Assert.Equal(2, publishes.Count);
        var published = new Dictionary<string, string>();
        foreach (var publish in publishes)
        {
            var project = publish.Groups[1].Value;
            Assert.True(File.Exists(Path.Combine(root, project)), $"{file.Path}: dotnet publish {project}: no such project");
            Assert.Contains($"-p:TorchBackend={backend}", StageArguments(file["build"]).Aggregate(publish.Value, (text, arg) => text.Replace($"${{{arg.Key}}}", arg.Value, StringComparison.Ordinal)), StringComparison.Ordinal);
            var assembly = XDocument.Load(Path.Combine(root, project)).Descendants("AssemblyName").Single().Value;
            published[publish.Groups[2].Value] = assembly;
        }

        // Each final stage copies one publish folder and runs that project's assembly.
        foreach (var (stage, folder) in new[] { ("silo", "/out/silo"), ("cli", "/out/cli") })
        {
            Assert.Contains(file[stage].Copy, c => c.StartsWith($"--from=build {folder}", StringComparison.Ordinal));
            var entrypoint = JsonSerializer.Deserialize<string[]>(file[stage].Entrypoint!)!;
            Assert.Equal("dotnet", entrypoint[0]);
            Assert.Equal($"{published[folder]}.dll", Path.GetFileName(entrypoint[1]));
        }

        // A restore layer copies project files one by one: it must copy every project the published ones reference.
        var copied = file["build"].Copy.Select(c => c.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]).ToHashSet();
        if (copied.Contains("src/")) return;
        foreach (var project in publishes.SelectMany(p => ProjectClosure(Path.Combine(root, p.Groups[1].Value))))
            Assert.Contains(Path.GetRelativePath(root, project).Replace('\\', '/'), copied);
        foreach (var source in copied.Where(c => !c.StartsWith("--", StringComparison.Ordinal)))
            Assert.True(File.Exists(Path.Combine(root, source)) || Directory.Exists(Path.Combine(root, source)), $"{file.Path}: COPY {source}: not in the repository");
    }

    private static Dictionary<string, string> StageArguments(Dockerfile.Stage stage) =>
        stage.Instructions.Where(i => i.Keyword == "ARG" && i.Arguments.Contains('=', StringComparison.Ordinal))
            .Select(i => i.Arguments.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    private static IEnumerable<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current)) continue;
            foreach (var reference in XDocument.Load(current).Descendants("ProjectReference"))
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, reference.Attribute("Include")!.Value.Replace('\\', '/'))));
        }
        return seen;
    }

    [GeneratedRegex(@"dotnet publish (\S+\.csproj)[^&]*?-o (\S+)")]
    private static partial Regex PublishPattern();
}
