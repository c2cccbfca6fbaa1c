using Microsoft.Extensions.Logging;
using MoeGrains.Cli.Output;
using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using Spectre.Console;

namespace MoeGrains.Cli.Commands;

/// <summary>
/// <c>moe eval --checkpoint MIXTURE [--mixture …]</c>: a mixture of domain experts in this process — every single expert,
/// the uniform, updating and cached-prior mixtures and top-k per domain, the plots, and the cached priors kept in the
/// manifest (estimated on the validation split the first time a domain is evaluated with this expert set).
/// </summary>
internal static class MixtureEvaluation
{
    public static async Task<int> RunAsync(EvalSettings settings, string folder, CorpusSplit split, ILogger logger, CancellationToken cancellationToken)
    {
        var chosen = MixtureSettings.Parse(settings.Mixture ?? "cached");
        if (settings.PriorBlocks <= 0) throw new ArgumentException($"--prior-blocks must be positive (got {settings.PriorBlocks}).");
        var (manifest, experts) = DomainMixtureFolder.LoadMixture(folder);
        try
        {
            if (chosen.TopK is { } k && k > experts.Count)
                throw new ArgumentException($"--mixture {chosen} asks for {k} experts; the mixture has {experts.Count}.");
            var config = experts[0].Model.Config;
            var tokenizer = TokenizerFactory.Create(config.Tokenizer);
            var corpus = DomainCorpus.Load(SampleCorpus.Resolve(settings.Corpus), logger);
            var data = TokenizedSplit.Create(corpus, tokenizer, split);
            var valid = TokenizedSplit.Create(corpus, tokenizer, CorpusSplit.Valid);
            var known = data.Domains.Select(d => (d, manifest.CachedPrior(d))).Where(p => p.Item2 is not null)
                .ToDictionary(p => p.d, p => p.Item2!);
            var topK = chosen.TopK ?? (experts.Count >= 2 ? 2 : null);
            var report = await MixtureEvaluator.EvaluateAsync([.. experts.Select(e => e.Scorer())], data, valid, config.ContextLength,
                settings.Batch, topK, settings.PriorBlocks, known, cancellationToken);

            var updated = report.Domains.Aggregate(manifest, (m, r) => m.WithCachedPrior(r.Domain, [.. m.Experts.Select(e => r.CachedPrior[e])]));
            if (updated.ToJson() != manifest.ToJson()) DomainMixtureFolder.Commit(folder, updated);

            await WriteAsync(report, chosen, settings, split, Path.GetFullPath(settings.Out ?? folder), $"{folder} (version {manifest.Version})", manifest.Version, cancellationToken);
            return 0;
        }
        finally
        {
            foreach (var expert in experts) expert.Dispose();
        }
    }

    /// <summary><c>moe eval --model NAME --mixture …</c>: the same evaluation through the model's mixture grain (on the version it pins).</summary>
    public static async Task<int> RunInClusterAsync(EvalSettings settings, string model, CorpusSplit split, ILoggerFactory loggers, LogLevel level,
        CancellationToken cancellationToken)
    {
        var chosen = MixtureSettings.Parse(settings.Mixture ?? "cached");
        if (settings.Dataset is not null && settings.Corpus is not null)
            throw new ArgumentException("Give --dataset NAME (already in the store) or --corpus DIR (uploaded), not both.");
        var corpus = settings.Dataset is null ? DomainCorpus.Load(SampleCorpus.Resolve(settings.Corpus), loggers.CreateLogger("moe.eval")) : null;
        await using var session = await Cluster.ClusterSession.OpenAsync(settings, loggers, level, cancellationToken);
        var status = await session.Client.GetDomainMixtureAsync(model);
        if (status.Version == 0) throw new ArgumentException($"Model '{model}' has no mixture of domain experts (train it with --branch).");
        if (chosen.TopK is { } k && k > status.Experts.Count)
            throw new ArgumentException($"--mixture {chosen} asks for {k} experts; the mixture has {status.Experts.Count}.");
        var dataset = settings.Dataset ?? Cluster.ClusterNames.DatasetFor(corpus!.Directory);
        if (corpus is not null) await session.Client.UploadDatasetAsync(dataset, corpus.Directory, cancellationToken);
        var topK = chosen.TopK ?? (status.Experts.Count >= 2 ? 2 : null);
        var result = await session.Client.EvaluateMixtureAsync(model, dataset, split == CorpusSplit.Valid ? "valid" : "test", topK);
        var outDir = Path.GetFullPath(settings.Out ?? Path.Combine("runs", model));
        await WriteAsync(Output.MixtureReports.ToReport(result), chosen, settings, split, outDir, $"{model} (version {result.Version})", result.Version, cancellationToken);
        return 0;
    }

    private static async Task WriteAsync(DomainMixtureReport report, MixtureSettings chosen, EvalSettings settings, CorpusSplit split, string outDir,
        string what, int version, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outDir);
        var name = $"eval-{split.ToString().ToLowerInvariant()}";
        var json = MixtureOutput.ToJson(report, chosen);
        await File.WriteAllTextAsync(Path.Combine(outDir, $"{name}.json"), json, cancellationToken);
        DomainPlots.WritePosteriorHeatmap(Path.Combine(outDir, $"{name}-posterior.png"), report, $"domain posterior (cached prior), version {version}");
        DomainPlots.WriteExpertPerplexityBars(Path.Combine(outDir, $"{name}-experts.png"), report, $"{split.ToString().ToLowerInvariant()} perplexity per expert");
        if (settings.Json)
        {
            Console.Out.WriteLine(json);
            return;
        }
        MixtureOutput.WriteTable(report, chosen, $"{settings.Split} perplexity of {what}");
        AnsiConsole.MarkupLineInterpolated($"{name}.json, {name}-posterior.png and {name}-experts.png written to [bold]{outDir}[/]");
    }
}
