using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace MoeGrains.Cli.Tests;

/// <summary><c>moe up</c> starts silo processes; train, generate and experts list work against it with --cluster; Ctrl+C stops every silo.</summary>
public sealed class LocalClusterTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("moe-cli-up-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void Up_train_generate_and_list_experts_then_ctrl_c_stops_every_silo()
    {
        var (basePort, gatewayPort) = FreeClusterPorts();
        var store = Path.Combine(scratch, "store");
        using var up = Process.Start(MoeProcess.StartInfo(scratch,
            ["up", "--silos", "2", "--base-port", basePort.ToString(), "--gateway-port", gatewayPort.ToString(), "--store", store]))!;
        var stderr = up.StandardError.ReadToEndAsync();
        List<int> silos = [];
        try
        {
            var cluster = ReadClusterLine(up, stderr);
            Assert.Equal($"127.0.0.1:{gatewayPort}", cluster);
            silos = ChildProcesses(up.Id);
            Assert.Equal(2, silos.Count);

            var train = MoeProcess.RunIn(scratch, "train", "--cluster", cluster, "--config", "tiny", "--steps", "5", "--batch", "2", "--model", "up-tiny", "--no-eval");
            Assert.True(train.ExitCode == 0, train.StdErr + train.StdOut);
            Assert.True(File.Exists(Path.Combine(scratch, "runs", "up-tiny", "metrics.jsonl")));

            var generate = MoeProcess.RunIn(scratch, "generate", "--cluster", cluster, "--model", "up-tiny", "--prompt", "The King", "--max-tokens", "8");
            Assert.True(generate.ExitCode == 0, generate.StdErr);
            Assert.StartsWith("The King", generate.StdOut);
            Assert.True(generate.StdOut.TrimEnd('\n').Length > "The King".Length, $"nothing generated: '{generate.StdOut}'");

            var list = MoeProcess.RunIn(scratch, "experts", "list", "--cluster", cluster, "--model", "up-tiny", "--json");
            Assert.True(list.ExitCode == 0, list.StdErr);
            using var json = JsonDocument.Parse(list.StdOut);
            var experts = json.RootElement.GetProperty("experts").EnumerateArray().ToList();
            Assert.Equal(8, experts.Count); // tiny: 2 MoE layers x 4 experts
            Assert.All(experts, e => Assert.Contains($"127.0.0.1:{basePort + 1}:", e.GetProperty("silo").GetString()));
            Assert.All(experts, e => Assert.Equal(5, e.GetProperty("step").GetInt64()));

            Assert.Equal(0, Interrupt(up.Id));
            AssertStopsAfterCtrlC(up, stderr);
            Assert.Equal(0, up.ExitCode);
            Assert.All(silos, pid => Assert.False(IsRunning(pid), $"silo process {pid} outlived moe up"));
        }
        finally
        {
            if (!up.HasExited) up.Kill(entireProcessTree: true);
            foreach (var pid in silos.Where(IsRunning)) Process.GetProcessById(pid).Kill();
        }
    }

    [Fact]
    public async Task Up_with_dashboard_serves_the_orleans_dashboard_on_loopback()
    {
        var (basePort, gatewayPort) = FreeClusterPorts();
        var dashboardPort = gatewayPort + 1;
        Assert.True(Cluster.FreePorts.IsFree(dashboardPort));
        using var up = Process.Start(MoeProcess.StartInfo(scratch,
            ["up", "--silos", "2", "--base-port", basePort.ToString(), "--gateway-port", gatewayPort.ToString(), "--store", Path.Combine(scratch, "store"),
                "--dashboard", "--dashboard-port", dashboardPort.ToString()]))!;
        var stderr = up.StandardError.ReadToEndAsync();
        List<int> silos = [];
        try
        {
            ReadClusterLine(up, stderr);
            silos = ChildProcesses(up.Id);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            var page = await http.GetStringAsync($"http://127.0.0.1:{dashboardPort}/");
            Assert.Contains("<html", page, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("version", await http.GetStringAsync($"http://127.0.0.1:{dashboardPort}/version"));

            Assert.Equal(0, Interrupt(up.Id));
            AssertStopsAfterCtrlC(up, stderr);
            Assert.Equal(0, up.ExitCode);
        }
        finally
        {
            if (!up.HasExited) up.Kill(entireProcessTree: true);
            foreach (var pid in silos.Where(IsRunning)) Process.GetProcessById(pid).Kill();
        }
    }

    /// <summary>
    /// moe up stops its silos (SIGTERM, a kill after 15 s each) and exits. A failure shows what moe up logged: a log that ends
    /// with the silos started means the Ctrl+C never arrived — e.g. the tests were launched as a background job of a shell
    /// without job control, which ignores SIGINT for its children, and that disposition is inherited down to moe up.
    /// </summary>
    private static void AssertStopsAfterCtrlC(Process up, Task<string> stderr)
    {
        if (up.WaitForExit(TimeSpan.FromSeconds(60))) return;
        up.Kill(entireProcessTree: true);
        up.WaitForExit(5000);
        var log = stderr.Wait(5000) ? stderr.Result : "(log not available)";
        Assert.Fail($"moe up did not stop within 60 s after Ctrl+C; its log ends:\n{log[Math.Max(0, log.Length - 4000)..]}");
    }

    private static string ReadClusterLine(Process up, Task<string> stderr)
    {
        var read = Task.Run(() =>
        {
            while (up.StandardOutput.ReadLine() is { } line)
                if (line.StartsWith("cluster: ", StringComparison.Ordinal)) return line["cluster: ".Length..].Trim();
            return null;
        });
        Assert.True(read.Wait(TimeSpan.FromSeconds(90)), "moe up did not print its cluster line in 90 s");
        var cluster = read.Result;
        if (cluster is null)
        {
            up.WaitForExit(5000);
            Assert.Fail($"moe up ended without a cluster line:\n{stderr.Result}");
        }
        _ = up.StandardOutput.ReadToEndAsync(); // keep draining
        return cluster;
    }

    private static (int BasePort, int GatewayPort) FreeClusterPorts()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var basePort = Random.Shared.Next(40000, 50000);
            var gateway = basePort + 50;
            if (Cluster.FreePorts.IsFree(basePort) && Cluster.FreePorts.IsFree(basePort + 1) && Cluster.FreePorts.IsFree(gateway)) return (basePort, gateway);
        }
        throw new InvalidOperationException("no free ports found");
    }

    /// <summary>Direct children of <paramref name="parent"/>, from /proc.</summary>
    private static List<int> ChildProcesses(int parent)
    {
        var children = new List<int>();
        foreach (var folder in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1]) == parent) children.Add(pid);
            }
            catch (IOException)
            {
            }
        }
        return children;
    }

    private static bool IsRunning(int pid)
    {
        var stat = Path.Combine("/proc", pid.ToString(), "stat");
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int Interrupt(int pid) => Kill(pid, 2); // SIGINT, what Ctrl+C sends

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
