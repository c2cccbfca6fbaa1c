using MoeGrains.Benchmarks;
using MoeGrains.Cluster.Benchmarks;

BenchSettings.ScoringOnly = args.Contains("scoring");
TorchSharp.torch.set_num_threads(BenchSettings.TorchThreads);
Machine.PrintHeader();
var started = DateTime.UtcNow;
Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
var root = Directory.CreateTempSubdirectory("moe-clusterbench-").FullName;
try
{
    // `faults [preset]`: only the fault figures (time to re-activate a killed silo's experts, time to drain a silo).
    if (args is ["faults", ..])
        return await FaultFigures.RunAsync(root, args.Length > 1 ? args[1] : BenchSettings.Preset);
    // `demix-scaling [preset] [steps] [batch]`: independent domain-expert training on 1 vs K silo processes, and the mixture's cost.
    if (args is ["demix-scaling", ..])
        return await DemixScaling.RunAsync(root, args.Length > 1 ? args[1] : BenchSettings.Preset,
            args.Length > 2 ? int.Parse(args[2]) : 20, args.Length > 3 ? int.Parse(args[3]) : 8);
    // `demix-faults [preset] [steps] [batch]`: a killed and a drained silo's domain experts — time to train again, steps redone.
    if (args is ["demix-faults", ..])
        return await DomainExpertFaultFigures.RunAsync(root, args.Length > 1 ? args[1] : BenchSettings.Preset,
            args.Length > 2 ? int.Parse(args[2]) : 300, args.Length > 3 ? int.Parse(args[3]) : 4);
    // The default run's budget; the modes above start their own silo processes, one torch thread each.
    Console.WriteLine($"thread budget: {BenchSettings.ThreadBudget}");
    Console.Error.WriteLine("one silo …");
    var (oneTraining, oneInference) = await Sections.OneSiloAsync(Path.Combine(root, "one"));
    double[] calls = [double.NaN, double.NaN];
    if (!BenchSettings.ScoringOnly)
    {
        Console.Error.WriteLine("two in-process silos …");
        calls = await Sections.TwoSilosCallAsync(Path.Combine(root, "two"));
    }
    Console.Error.WriteLine("two silo processes …");
    ProcessResults? processes = null;
    string? processError = null;
    try
    {
        processes = await Sections.TwoProcessesAsync(Path.Combine(root, "procs"));
    }
    catch (Exception e)
    {
        processError = $"{e.GetType().Name}: {e.Message}";
    }

    Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}; run took {(DateTime.UtcNow - started).TotalMinutes:F1} min");
    Console.WriteLine();
    if (!BenchSettings.ScoringOnly)
    {
        Console.WriteLine($"## Training through the grains ÷ in-process Trainer ({BenchSettings.Preset}, batch {BenchSettings.Batch} × 128, " +
            $"{BenchSettings.StepsPerRound} timed steps per round, median of {BenchSettings.Rounds} interleaved rounds)");
        Console.WriteLine("| set-up | gate | grains tokens/s | in-process tokens/s | ratio | target | load average |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var r in oneTraining) Console.WriteLine("| one silo " + r.Row(0.95));
        if (processes is not null) foreach (var r in processes.Training) Console.WriteLine("| two silo processes " + r.Row(0.80));
        Console.WriteLine();
    }

    Console.WriteLine($"## Scoring through the cluster ÷ in-process SequenceScorer ({BenchSettings.Preset}, 7 texts of 640 bytes, median of 9 interleaved rounds, both sides keeping {MoeGrains.Grains.Routers.RouterGrain.ScoringForwardsInFlight} forwards of up to 16 windows in flight)");
    Console.WriteLine("| set-up | gate | cluster tokens/s | in-process tokens/s | ratio | target | max \\|Δ log p\\| | load average |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|");
    Console.WriteLine("| one silo " + oneInference.Row(0.90));
    if (processes is not null) Console.WriteLine("| two silo processes " + processes.Inference.Row(0.90));
    Console.WriteLine();
    if (!BenchSettings.ScoringOnly)
    {
        Console.WriteLine("## Router → expert call: ExpertGrain.ForwardAsync, one token of tiny (128 B), median of 2,000 sequential calls");
        Console.WriteLine("| caller → expert | median µs | Ray's published figure |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| same silo | {calls[0]:F0} | ~1,000 |");
        Console.WriteLine($"| other silo, same process (TCP loopback) | {calls[1]:F0} | ~1,000 |");
        if (processes is not null) Console.WriteLine($"| client process → expert silo process (gateway, TCP loopback) | {processes.CallMicroseconds:F0} | ~1,000 |");
        Console.WriteLine();
    }

    if (processes is not null) foreach (var p in processes.Placements) Console.WriteLine($"placement: {p}");
    if (processError is not null) Console.WriteLine($"two silo processes: not measured: {processError}");
    return 0;
}
finally
{
    try
    {
        Directory.Delete(root, recursive: true);
    }
    catch (IOException)
    {
    }
}
