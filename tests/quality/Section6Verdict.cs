// The verdict on the four targets of the domain-experts issue's section 6 from the JSON that tests/quality/section6
// wrote to OUT (eval-demix.json, eval-dense.json, eval-added.json). Exit code 0 when all four hold, 1 when one misses.
// With eval-shared.json and eval-dense-same-steps.json it also prints the DEMix paper's comparison (phase 1 alone against
// dense at the same steps) as a diagnostic; it decides no target.
// Usage: dotnet run tests/quality/Section6Verdict.cs -- OUT HELD_OUT
using System.Globalization;
using System.Text.Json;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run tests/quality/Section6Verdict.cs -- OUT HELD_OUT");
    return 2;
}
var (folder, heldOut) = (args[0], args[1]);
using var mixture = Read("eval-demix.json");
using var dense = Read("eval-dense.json");
using var added = Read("eval-added.json");
var trained = mixture.RootElement.GetProperty("experts").EnumerateArray().Select(e => e.GetString()!).ToList();
var before = mixture.RootElement.GetProperty("domains");
var after = added.RootElement.GetProperty("domains");
if (!before.TryGetProperty(heldOut, out var held))
    throw new InvalidDataException($"eval-demix.json has no domain '{heldOut}'.");

var verdicts = new List<(string Target, bool Holds, string Evidence)>();

var inDomain = trained.Select(d => (Domain: d, Expert: Expert(before.GetProperty(d), d), Dense: Ppl(dense, d)))
    .OrderByDescending(x => x.Expert / x.Dense).ToList();
verdicts.Add(("in-domain: own expert ≤ dense at the same compute", inDomain.All(x => x.Expert <= x.Dense),
    string.Join(", ", inDomain.Select(x => $"{x.Domain} {F(x.Expert)} vs {F(x.Dense)} ({Percent(x.Expert / x.Dense)})"))));

var bestSingle = held.GetProperty("experts").EnumerateObject().Select(p => (Name: p.Name, Ppl: p.Value.GetDouble())).MinBy(p => p.Ppl);
var cached = held.GetProperty("cached").GetDouble();
var uniform = held.GetProperty("uniform").GetDouble();
verdicts.Add(($"held-out {heldOut}: cached < uniform and ≤ best single expert + 2 %", cached < uniform && cached <= 1.02 * bestSingle.Ppl,
    $"cached {F(cached)}, uniform {F(uniform)}, best single {bestSingle.Name} {F(bestSingle.Ppl)} (cached {Percent(cached / bestSingle.Ppl)})"));

var addedCached = after.GetProperty(heldOut).GetProperty("cached").GetDouble();
verdicts.Add(($"adding a {heldOut} expert cuts its perplexity by ≥ 20 %", addedCached <= 0.8 * cached,
    $"cached mixture {F(cached)} → {F(addedCached)} ({Percent(addedCached / cached)})"));

var (worstBefore, ratioBefore) = WorstTopK(before);
var (worstAfter, ratioAfter) = WorstTopK(after);
verdicts.Add(("top-2 within 1 % of the full (cached) mixture, before and after the add", ratioBefore <= 1.01 && ratioAfter <= 1.01,
    $"worst before: {worstBefore} {Percent(ratioBefore)}; worst after: {worstAfter} {Percent(ratioAfter)}"));

foreach (var (target, holds, evidence) in verdicts)
    Console.WriteLine($"{(holds ? "holds " : "MISSES")}  {target}\n        {evidence}");
Console.WriteLine($"{verdicts.Count(v => v.Holds)} of {verdicts.Count} targets hold.");
PrintSameStepsDiagnostic();
return verdicts.All(v => v.Holds) ? 0 : 1;

void PrintSameStepsDiagnostic()
{
    if (!File.Exists(Path.Combine(folder, "eval-shared.json")) || !File.Exists(Path.Combine(folder, "eval-dense-same-steps.json"))) return;
    using var shared = Read("eval-shared.json");
    using var denseSameSteps = Read("eval-dense-same-steps.json");
    var pairs = trained.Select(d => (Domain: d, Phase1: Ppl(shared, d), Dense: Ppl(denseSameSteps, d))).OrderByDescending(x => x.Phase1 / x.Dense).ToList();
    Console.WriteLine($"diagnostic (no target): DEMix phase 1 alone ≤ dense at the same steps on {pairs.Count(x => x.Phase1 <= x.Dense)} of {pairs.Count} domains");
    Console.WriteLine("        " + string.Join(", ", pairs.Select(x => $"{x.Domain} {F(x.Phase1)} vs {F(x.Dense)} ({Percent(x.Phase1 / x.Dense)})")));
}

JsonDocument Read(string name)
{
    var path = Path.Combine(folder, name);
    if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing: run tests/quality/section6 first.", path);
    return JsonDocument.Parse(File.ReadAllText(path));
}

static double Ppl(JsonDocument evaluation, string domain) =>
    evaluation.RootElement.GetProperty("domains").TryGetProperty(domain, out var value) ? value.GetProperty("ppl").GetDouble()
        : throw new InvalidDataException($"an evaluation has no domain '{domain}'.");

static double Expert(JsonElement domain, string expert) =>
    domain.GetProperty("experts").TryGetProperty(expert, out var value) ? value.GetDouble()
        : throw new InvalidDataException($"the evaluation has no perplexity of expert '{expert}' on its own domain.");

static (string Domain, double Ratio) WorstTopK(JsonElement domains) =>
    domains.EnumerateObject()
        .Where(d => d.Value.TryGetProperty("topk", out var topK) && topK.ValueKind == JsonValueKind.Number)
        .Select(d => (d.Name, d.Value.GetProperty("topk").GetDouble() / d.Value.GetProperty("cached").GetDouble()))
        .MaxBy(x => x.Item2);

static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

static string Percent(double ratio) => (100 * (ratio - 1)).ToString("+0.00;−0.00", CultureInfo.InvariantCulture) + " %";
