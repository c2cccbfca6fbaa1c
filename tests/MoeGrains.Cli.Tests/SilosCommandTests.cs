using System.Text.Json;

namespace MoeGrains.Cli.Tests;

/// <summary><c>moe silos list|drain</c> against the embedded single silo: the one silo is listed; a drain names what is wrong.</summary>
public sealed class SilosCommandTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("moe-cli-silos-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void Drain_without_a_silo_names_the_missing_option()
    {
        var result = MoeProcess.RunIn(scratch, "silos", "drain");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("moe: error: --silo ADDRESS is required", result.StdErr);
    }

    [Fact]
    public void The_embedded_silo_is_listed_with_its_expert_slots_and_a_drain_of_a_silo_that_is_gone_names_it()
    {
        var list = MoeProcess.RunIn(scratch, "silos", "list", "--json");
        Assert.True(list.ExitCode == 0, $"silos list failed:\n{list.StdErr}");
        var silos = JsonDocument.Parse(list.StdOut).RootElement.GetProperty("silos").EnumerateArray().ToList();
        var silo = Assert.Single(silos);
        Assert.True(silo.GetProperty("expertSlots").GetInt32() > 0);
        Assert.Equal("cpu", silo.GetProperty("accelerator").GetString());
        Assert.False(silo.GetProperty("draining").GetBoolean());
        Assert.Equal(0, silo.GetProperty("experts").GetInt32());
        var address = silo.GetProperty("address").GetString()!;
        Assert.StartsWith("S127.0.0.1:", address);

        // Each moe process starts its own embedded silo, so the silo just listed is gone by the next command.
        var unknown = MoeProcess.RunIn(scratch, "silos", "drain", "--silo", address);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains($"No active silo has the address '{address}'", unknown.StdErr);
    }
}
