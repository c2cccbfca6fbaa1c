using System.Diagnostics;
using System.Globalization;
using MoeGrains.Storage.Benchmarks;
using MoeGrains.Testing;

// Checkpoint save/load through the store vs raw Azure.Storage.Blobs, on a real Azurite, interleaved, median of Rounds.
const int Rounds = 5;
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

await using var azurite = new AzuriteFixture();
await azurite.StartAsync();
Machine.PrintHeader();
Console.WriteLine($"Azurite 3.37 on 127.0.0.1 (--location on {Path.GetTempPath()}), 8 MiB blocks, 8 in flight per blob; store and raw SDK both move " +
    $"every blob of a checkpoint at once (as a model's grains do); {Rounds} measured rounds after 1 warm-up, median; load average = 1-minute /proc/loadavg after the payload's rounds.");
Console.WriteLine();
Console.WriteLine("| payload | blobs | operation | raw SDK MB/s | store MB/s | store / raw | load average |");
Console.WriteLine("|---|---|---|---|---|---|---|");

foreach (var mib in new[] { 64, 256 })
{
    var payload = new CheckpointPayload(mib);
    var contenders = new Contenders(azurite.ConnectionString, payload);
    await contenders.InitializeAsync();
    var samples = new Dictionary<string, List<double>> { ["raw save"] = [], ["store save"] = [], ["raw load"] = [], ["store load"] = [], ["raw+sha load"] = [] };
    for (var round = 0; round <= Rounds; round++)
    {
        // Alternate who goes first so that caching and warm-up favour neither.
        var order = round % 2 == 0
            ? new (string, Func<Task>)[] { ("raw save", contenders.RawSaveAsync), ("store save", contenders.StoreSaveAsync), ("raw load", contenders.RawLoadAsync), ("store load", contenders.StoreLoadAsync), ("raw+sha load", contenders.RawHashedLoadAsync) }
            : [("store save", contenders.StoreSaveAsync), ("raw save", contenders.RawSaveAsync), ("raw+sha load", contenders.RawHashedLoadAsync), ("store load", contenders.StoreLoadAsync), ("raw load", contenders.RawLoadAsync)];
        foreach (var (name, run) in order)
        {
            var clock = Stopwatch.StartNew();
            await run();
            if (round > 0) samples[name].Add(payload.MegaBytes / clock.Elapsed.TotalSeconds);
        }
        await contenders.TrimAsync();
    }
    var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
    foreach (var operation in new[] { "save", "load" })
    {
        var rawRate = Median(samples[$"raw {operation}"]);
        var storeRate = Median(samples[$"store {operation}"]);
        var note = operation == "save" ? "put + SHA-256 + claim + manifest" : "manifest + get + SHA-256 verify";
        Console.WriteLine($"| {mib} MiB | {payload.Blobs.Count} | {operation} ({note}) | {rawRate:F0} | {storeRate:F0} | {storeRate / rawRate:F2} | {load} |");
    }
    var hashedRate = Median(samples["raw+sha load"]);
    Console.WriteLine($"| {mib} MiB | {payload.Blobs.Count} | load, raw + SHA-256 of the same bytes (what verification alone costs) | {Median(samples["raw load"]):F0} | {hashedRate:F0} | {hashedRate / Median(samples["raw load"]):F2} | {load} |");
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
