using MoeGrains.Benchmarks;

var which = args.Length > 0 ? args[0] : "all";
var known = new Dictionary<string, Action>
{
    ["auction"] = AuctionBenchmark.Run,
    ["throughput"] = GateThroughputBenchmark.Run,
    ["overhead"] = TrainerOverheadBenchmark.Run,
};
if (which == "all")
{
    Machine.PrintHeader();
    foreach (var run in known.Values) run();
    return 0;
}
if (!known.TryGetValue(which, out var benchmark))
{
    Console.Error.WriteLine($"Unknown benchmark '{which}'. Expected one of: all, {string.Join(", ", known.Keys)}.");
    return 2;
}
Machine.PrintHeader();
benchmark();
return 0;
