using System.Text;

namespace MoeGrains.Testing;

/// <summary>
/// Real silo host processes (<c>dotnet moe-silo.dll</c>) on free loopback ports, configured through environment variables
/// (<c>MoeGrains__Silo__SiloPort</c>, …). Membership must be shared through a real store (e.g. Azure Storage tables on
/// Azurite): the caller passes those settings. Each silo advertises 127.0.0.1, runs torch on one thread
/// (<c>MOE_TORCH_THREADS=1</c>) and has its output captured. Disposing kills every process tree.
/// </summary>
public sealed class SiloProcessCluster : IAsyncDisposable
{
    /// <summary>How long a silo may take to listen on its ports.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly List<SiloProcess> silos = [];
    private readonly List<IReadOnlyDictionary<string, string>> environments = [];

    private SiloProcessCluster(string siloDll) => SiloDll = siloDll;

    /// <summary>The silo host assembly the processes run.</summary>
    public string SiloDll { get; }

    /// <summary>The silos in start order.</summary>
    public IReadOnlyList<SiloProcess> Silos => silos;

    /// <summary>
    /// The silo host built beside the running test assembly (a test project that references MoeGrains.Silo gets
    /// <c>moe-silo.dll</c>, its <c>.deps.json</c>, <c>.runtimeconfig.json</c> and <c>appsettings.json</c> copied to its output).
    /// </summary>
    /// <exception cref="FileNotFoundException">moe-silo.dll or its runtimeconfig is not there.</exception>
    public static string LocateSiloDll()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "moe-silo.dll");
        if (!File.Exists(dll) || !File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")))
            throw new FileNotFoundException(
                $"The silo host is not in the test output ({dll} or its .runtimeconfig.json is missing): reference src/MoeGrains.Silo from the test project.", dll);
        return dll;
    }

    /// <summary>
    /// Starts one silo per entry of <paramref name="perSilo"/>, all with <paramref name="shared"/> settings, and waits until
    /// each listens on its silo port (and gateway port, when it has one). Entry <c>MoeGrains__Silo__GatewayPort</c>=<c>0</c>
    /// in a silo's settings makes it a silo without a gateway; otherwise it gets a free gateway port. A silo's own
    /// <c>MoeGrains__Silo__SiloPort</c> or <c>GatewayPort</c> entry replaces the free port (e.g. a primary silo others join).
    /// </summary>
    /// <param name="shared">Environment settings for every silo (clustering, storage, cluster id).</param>
    /// <param name="perSilo">Each silo's own settings (e.g. <c>MoeGrains__Accelerator__ExpertSlots</c>).</param>
    /// <exception cref="InvalidOperationException">A silo exited before it listened (the message has its output).</exception>
    /// <exception cref="TimeoutException">A silo did not listen within <see cref="StartTimeout"/>.</exception>
    public static async Task<SiloProcessCluster> StartAsync(IReadOnlyDictionary<string, string> shared, params IReadOnlyDictionary<string, string>[] perSilo)
    {
        var cluster = new SiloProcessCluster(LocateSiloDll());
        try
        {
            for (var i = 0; i < perSilo.Length; i++)
            {
                var ports = FreePorts.Take(2);
                var environment = new Dictionary<string, string>(shared)
                {
                    ["MoeGrains__Silo__SiloPort"] = $"{ports[0]}",
                    ["MoeGrains__Silo__GatewayPort"] = $"{ports[1]}",
                    ["MoeGrains__Silo__AdvertisedIPAddress"] = "127.0.0.1",
                    ["MOE_TORCH_THREADS"] = "1",
                    ["DOTNET_gcServer"] = "0",
                    ["DOTNET_NOLOGO"] = "1",
                };
                foreach (var (key, value) in perSilo[i]) environment[key] = value;
                var siloPort = int.Parse(environment["MoeGrains__Silo__SiloPort"]);
                var gateway = int.Parse(environment["MoeGrains__Silo__GatewayPort"]);
                cluster.silos.Add(SiloProcess.Start($"silo-{i}", cluster.SiloDll, siloPort, gateway, environment));
                cluster.environments.Add(environment);
            }
            await Task.WhenAll(cluster.silos.Select(async silo =>
            {
                await silo.WaitForPortAsync(silo.SiloPort, StartTimeout).ConfigureAwait(false);
                if (silo.GatewayPort != 0) await silo.WaitForPortAsync(silo.GatewayPort, StartTimeout).ConfigureAwait(false);
            })).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Kills silo <paramref name="index"/> if it still runs, starts it again with the same settings and ports (a new silo generation
    /// to the cluster), and waits until it listens. The old process's output is kept in the new one's <see cref="SiloProcess.Output"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The silo exited before it listened (the message has its output).</exception>
    /// <exception cref="TimeoutException">The silo did not listen within <see cref="StartTimeout"/>.</exception>
    public async Task<SiloProcess> RestartAsync(int index)
    {
        var old = silos[index];
        await old.DisposeAsync().ConfigureAwait(false);
        var restarted = SiloProcess.Start(old.Name, SiloDll, old.SiloPort, old.GatewayPort, environments[index], old.Output());
        silos[index] = restarted;
        await restarted.WaitForPortAsync(restarted.SiloPort, StartTimeout).ConfigureAwait(false);
        if (restarted.GatewayPort != 0) await restarted.WaitForPortAsync(restarted.GatewayPort, StartTimeout).ConfigureAwait(false);
        return restarted;
    }

    /// <summary>Every silo's output so far, each under a header with its name, ports and state, for failure messages.</summary>
    public string Output(int charactersPerSilo = 6000)
    {
        var text = new StringBuilder();
        foreach (var silo in silos)
        {
            text.AppendLine($"----- {silo.Name} (pid {silo.ProcessId}, silo port {silo.SiloPort}, gateway {silo.GatewayPort}{(silo.HasExited ? ", exited" : "")}) -----");
            text.AppendLine(silo.Tail(charactersPerSilo));
        }
        return text.ToString();
    }

    /// <summary>Kills every silo's process tree and waits for them to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var silo in silos) await silo.DisposeAsync().ConfigureAwait(false);
    }
}
