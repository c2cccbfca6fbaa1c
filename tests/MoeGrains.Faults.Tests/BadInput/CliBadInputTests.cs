using MoeGrains.Faults.Tests.Cluster;
using MoeGrains.Testing;

namespace MoeGrains.Faults.Tests.BadInput;

/// <summary>Bad input to the real <c>moe</c> process: one <c>moe: error:</c> line naming the problem, exit code 2, nothing stored changed.</summary>
[Collection(FaultClusterCollection.Name)]
public sealed class CliBadInputTests(FaultCluster cluster) : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("moe-faults-cli-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Theory]
    [MemberData(nameof(CliBadInputCases.Names), MemberType = typeof(CliBadInputCases))]
    public async Task Prints_one_error_line_naming_the_problem_and_changes_nothing(string kind)
    {
        var bad = CliBadInputCases.All[kind];
        await cluster.RestoreAsync();
        var arguments = bad.Arguments(cluster.ClientConfigFile, scratch);
        var before = await cluster.StoredStateAsync();
        var scratchBefore = Listing();

        var result = await Task.Run(() => MoeProcess.Run(arguments));

        var errors = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("moe: error:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, $"expected one 'moe: error:' line (exit {result.ExitCode}), got stderr:\n{result.StdErr}\nstdout:\n{result.StdOut}");
        Assert.Contains(bad.Fragment, errors[0]);
        Assert.Equal(bad.ExitCode, result.ExitCode);
        var after = await cluster.StoredStateAsync();
        Assert.True(before.SameAs(after), $"stored state changed: {before.Difference(after)}");
        Assert.Equal(scratchBefore, Listing()); // no local store, run folder or checkpoint written either
    }

    private List<string> Listing() =>
        [.. Directory.EnumerateFileSystemEntries(scratch, "*", SearchOption.AllDirectories).Select(p => $"{p} {(File.Exists(p) ? new FileInfo(p).Length : -1)}").Order(StringComparer.Ordinal)];
}
