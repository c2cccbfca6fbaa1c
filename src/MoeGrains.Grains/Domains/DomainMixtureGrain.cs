using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Inference;
using MoeGrains.Abstractions.Tensors;
using MoeGrains.Abstractions.Training;
using MoeGrains.Grains.Datasets;
using MoeGrains.Grains.Tensors;
using MoeGrains.Model;
using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using MoeGrains.Storage;
using MoeGrains.Storage.Layout;
using Orleans.Concurrency;

namespace MoeGrains.Grains.Domains;

/// <summary>
/// Coordinates a model's domain experts: starts their independent training, owns the mixture manifest (committed to the
/// store as <c>{model}.mixture</c>, one store version per mixture version), and serves mixture evaluation and scoring
/// with one concurrent call per expert per batch. Reentrant: requests in flight keep the manifest they started with while
/// a lifecycle change commits the next one. The mixture math is <see cref="DomainMixture"/> and <see cref="MixtureEvaluator"/>.
/// </summary>
[Reentrant]
public sealed partial class DomainMixtureGrain(ICheckpointStore store, ILogger<DomainMixtureGrain> logger) : Grain, IDomainMixtureGrain
{
    private static readonly string ManifestBlob = CheckpointLayout.Domain("mixture.json");
    private const string SharedVersionKey = "sharedVersion";

    private readonly SemaphoreSlim changes = new(1, 1);
    private string model = "";
    private MixtureManifest? current;
    private int sharedVersion;
    private ModelConfig? config;
    private JsonElement configJson;
    private (IReadOnlyList<string> Domains, DomainExpertTrainingRequest Request)? pending;
    private string? adding;

    private string ManifestStoreName => $"{model}.mixture";

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        model = this.GetPrimaryKeyString();
        if (await store.LatestVersionAsync(ManifestStoreName, cancellationToken) is { } latest)
        {
            var manifest = await store.ReadManifestAsync(ManifestStoreName, latest, cancellationToken);
            current = MixtureManifest.FromJson(Encoding.UTF8.GetString(await store.ReadBlobAsync(ManifestStoreName, latest, ManifestBlob, cancellationToken)));
            sharedVersion = int.Parse(manifest.Metadata[SharedVersionKey], CultureInfo.InvariantCulture);
            await ReadConfigAsync(cancellationToken);
        }
    }

    /// <inheritdoc/>
    public async Task<DomainMixtureStatus> TrainExpertsAsync(IReadOnlyList<string> domains, DomainExpertTrainingRequest request)
    {
        ArgumentNullException.ThrowIfNull(domains);
        ArgumentNullException.ThrowIfNull(request);
        if (domains.Count == 0) throw new ArgumentException("Name at least one domain to train an expert for.");
        var duplicate = domains.GroupBy(d => d, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Domain '{duplicate.Key}' is listed twice.");
        await changes.WaitAsync();
        try
        {
            if (current is not null)
                throw new ArgumentException($"Model '{model}' already has mixture version {current.Version} ({string.Join(", ", current.Experts)}); add experts to it instead.");
            if (pending is not null)
                throw new InvalidOperationException($"Model '{model}' is already training domain experts ({string.Join(", ", pending.Value.Domains)}).");
            var available = await store.ListDatasetDomainsAsync(request.Dataset);
            if (available.Count == 0) throw new ArgumentException($"Dataset '{request.Dataset}' does not exist or has no domains: upload it first.");
            var unknown = domains.FirstOrDefault(d => !available.Contains(d));
            if (unknown is not null)
                throw new ArgumentException($"Dataset '{request.Dataset}' has no domain '{unknown}'. Domains: {string.Join(", ", available)}.");
            try
            {
                await store.ReadManifestAsync(model, request.SharedVersion); // the shared version must exist before any expert starts
            }
            catch (CheckpointNotFoundException)
            {
                throw new ArgumentException($"Model '{model}' has no committed version {request.SharedVersion} to branch from: train the shared model first.");
            }
            var statuses = await Task.WhenAll(domains.Select(domain => Expert(domain).StartTrainingAsync(request)));
            pending = (domains.ToList(), request);
            logger.LogInformation("Model {Model}: training {Count} domain experts from shared version {Shared}", model, domains.Count, request.SharedVersion);
            return Status(statuses);
        }
        finally
        {
            changes.Release();
        }
    }

    /// <inheritdoc/>
    public async Task<DomainMixtureStatus> AddExpertAsync(string domain, DomainExpertTrainingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        await changes.WaitAsync();
        try
        {
            var pinned = Current();
            Checked(() => pinned.WithAdded(domain));
            if (adding is not null) throw new InvalidOperationException($"Model '{model}' is already adding the expert '{adding}'.");
            var corpus = await DatasetDownloads.OpenAsync(store, request.Dataset);
            if (!corpus.Domains.Contains(domain))
                throw new ArgumentException($"Dataset '{request.Dataset}' has no domain '{domain}'. Domains: {string.Join(", ", corpus.Domains)}.");
            var tokenizer = TokenizerFactory.Create(config!.Tokenizer);
            var split = corpus.HasSplit(domain, CorpusSplit.Valid) ? CorpusSplit.Valid : CorpusSplit.Train;
            var text = TokenizedSplit.Create(corpus, tokenizer, split).Stream(domain);
            var posterior = await PriorEstimator.EstimateAsync(Scorers(pinned), text, config.ContextLength, batchSize: 16);
            var parent = pinned.Experts[Array.IndexOf(posterior, posterior.Max())];
            var child = request with
            {
                SharedVersion = sharedVersion,
                LearningRate = request.LearningRate * BranchTraining.AddedExpertLearningRateFactor,
                AllParameters = false,
                InitFrom = parent,
                InitFromVersion = pinned.ExpertVersion(parent),
            };
            var status = await Expert(domain).StartTrainingAsync(child);
            adding = domain;
            logger.LogInformation("Model {Model}: adding expert {Domain} from {Parent} (posterior {Posterior:F3})", model, domain, parent, posterior.Max());
            return Status([status]);
        }
        finally
        {
            changes.Release();
        }
    }

    /// <inheritdoc/>
    public async Task<DomainMixtureStatus> GetStatusAsync()
    {
        if (adding is { } added)
        {
            var status = await Expert(added).GetStatusAsync();
            if (status.State == TrainingState.Completed) await CommitAddedAsync(added, status.Version);
            else if (status.State == TrainingState.Failed) adding = null;
            return Status([status]);
        }
        if (pending is not { } training) return Status([]);
        var statuses = await Task.WhenAll(training.Domains.Select(domain => Expert(domain).GetStatusAsync()));
        if (statuses.All(s => s.State == TrainingState.Completed)) await CommitFirstAsync(training, statuses);
        return Status(statuses);
    }

    /// <inheritdoc/>
    public async Task<DomainMixtureEvaluation> EvaluateAsync(string dataset, string split, int? topK)
    {
        var pinned = Current();
        var corpusSplit = split switch
        {
            "valid" => CorpusSplit.Valid,
            "test" => CorpusSplit.Test,
            _ => throw new ArgumentException($"Unknown split '{split}'. Expected valid or test."),
        };
        if (topK is { } k && (k < 1 || k > pinned.Experts.Count))
            throw new ArgumentException($"Top-{k} needs between 1 and {pinned.Experts.Count} experts (mixture version {pinned.Version} has {pinned.Experts.Count}).");
        var corpus = await DatasetDownloads.OpenAsync(store, dataset);
        var tokenizer = TokenizerFactory.Create(config!.Tokenizer);
        var data = TokenizedSplit.Create(corpus, tokenizer, corpusSplit);
        var valid = TokenizedSplit.Create(corpus, tokenizer, CorpusSplit.Valid);
        var known = data.Domains.Select(d => (d, pinned.CachedPrior(d))).Where(p => p.Item2 is not null).ToDictionary(p => p.d, p => p.Item2!);
        var report = await MixtureEvaluator.EvaluateAsync(Scorers(pinned), data, valid, config.ContextLength, batchSize: 16, topK,
            cachedPriors: known);
        return new DomainMixtureEvaluation(pinned.Version, report.Experts, report.TopK, [.. report.Domains.Select(r => new Abstractions.Domains.DomainMixtureResult(
            r.Domain, r.Uniform.Tokens, r.Experts.ToDictionary(p => p.Key, p => p.Value.Value), r.Uniform.Value, r.Updating.Value, r.Cached.Value,
            r.TopK?.Value, r.CachedPrior))]);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TokenScores>> ScoreAsync(IReadOnlyList<string> texts, string mixture)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var pinned = Current();
        var settings = MixtureSettings.Parse(mixture);
        if (settings.Mode == PriorMode.Cached && settings.TopK is null)
            throw new ArgumentException("Scoring free text has no target domain to take a cached prior from: use uniform, updating or topk:K.");
        if (texts.Count == 0) throw new ArgumentException("Nothing to score: the list of texts is empty.");
        var tokenizer = TokenizerFactory.Create(config!.Tokenizer);
        var results = new List<TokenScores>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            if (string.IsNullOrEmpty(texts[i])) throw new ArgumentException($"Text {i} is empty.");
            var tokens = tokenizer.Encode(texts[i]);
            var prior = settings.TopK is null ? null : MixtureMath.Uniform(pinned.Experts.Count);
            var scorer = new DomainMixture(Scorers(pinned), settings with { Mode = settings.TopK is null ? settings.Mode : PriorMode.Cached }, prior);
            results.Add(new TokenScores(tokens, await scorer.ScoreSequenceAsync(tokens, config.ContextLength)));
        }
        return results;
    }

    /// <inheritdoc/>
    public Task<DomainMixtureStatus> RetireExpertAsync(string expert) => ChangeAsync(manifest => manifest.WithRetired(expert), $"retired {expert}");

    /// <inheritdoc/>
    public Task<DomainMixtureStatus> RestoreExpertAsync(string expert) => ChangeAsync(manifest => manifest.WithRestored(expert), $"restored {expert}");

    private async Task<DomainMixtureStatus> ChangeAsync(Func<MixtureManifest, MixtureManifest> change, string what)
    {
        await changes.WaitAsync();
        try
        {
            var next = Checked(() => change(Current()));
            await CommitAsync(next);
            logger.LogInformation("Model {Model}: mixture version {Version} ({What})", model, next.Version, what);
            return Status([]);
        }
        finally
        {
            changes.Release();
        }
    }

    private async Task CommitAddedAsync(string domain, int version)
    {
        await changes.WaitAsync();
        try
        {
            if (adding != domain) return;
            await CommitAsync(Current().WithAdded(domain).WithExpertVersion(domain, version));
            adding = null;
            logger.LogInformation("Model {Model}: mixture version {Version} (added {Domain})", model, current!.Version, domain);
        }
        finally
        {
            changes.Release();
        }
    }

    private static MixtureManifest Checked(Func<MixtureManifest> change)
    {
        try
        {
            return change();
        }
        catch (DomainExpertException e)
        {
            throw new ArgumentException(e.Message);
        }
    }

    private async Task CommitFirstAsync((IReadOnlyList<string> Domains, DomainExpertTrainingRequest Request) training, DomainExpertStatus[] statuses)
    {
        await changes.WaitAsync();
        try
        {
            if (pending is null || current is not null) return;
            sharedVersion = training.Request.SharedVersion;
            await ReadConfigAsync(CancellationToken.None);
            var shared = await store.ReadManifestAsync(model, sharedVersion);
            var sha = shared.Blobs.OrderBy(b => b.Path, StringComparer.Ordinal).First().Sha256;
            var versions = statuses.ToDictionary(s => s.Expert, s => s.Version);
            await CommitAsync(MixtureManifest.First(sha, training.Domains, versions));
            pending = null;
            logger.LogInformation("Model {Model}: mixture version 1 of {Count} domain experts committed", model, versions.Count);
        }
        finally
        {
            changes.Release();
        }
    }

    private async Task CommitAsync(MixtureManifest next)
    {
        await using var writer = await store.BeginCheckpointAsync(ManifestStoreName, next.Version);
        await writer.PutAsync(ManifestBlob, Encoding.UTF8.GetBytes(next.ToJson()));
        await writer.CommitAsync(new CheckpointCommit(0, configJson)
        {
            ParentVersion = current?.Version,
            Metadata = new Dictionary<string, string> { [SharedVersionKey] = sharedVersion.ToString(CultureInfo.InvariantCulture) },
        });
        current = next;
    }

    private async Task ReadConfigAsync(CancellationToken cancellationToken)
    {
        var shared = await store.ReadManifestAsync(model, sharedVersion, cancellationToken);
        configJson = shared.ModelConfig.Clone();
        config = ModelConfig.FromJson(configJson.GetRawText());
    }

    private IReadOnlyList<ExpertScorer> Scorers(MixtureManifest pinned) => [.. pinned.Experts.Select(name =>
    {
        var grain = Expert(name);
        var version = pinned.ExpertVersion(name);
        return new ExpertScorer(name, async (batch, _) =>
        {
            var result = await grain.LogProbsAsync(TensorCodec.ToPayload(batch.Tokens), version);
            return TensorCodec.FromPayload(result, expectedType: TensorDType.Float64, what: $"log-probabilities of expert '{name}'");
        });
    })];

    private MixtureManifest Current() => current ?? throw new ArgumentException(
        pending is null
            ? $"Model '{model}' has no mixture of domain experts: train its experts first."
            : $"Model '{model}' is still training its domain experts; the mixture exists once they have all finished.");

    private IDomainExpertGrain Expert(string domain) => GrainFactory.GetGrain<IDomainExpertGrain>(DomainExpertNames.GrainKey(model, domain));

    private DomainMixtureStatus Status(IReadOnlyList<DomainExpertStatus> training) =>
        new(current?.Version ?? 0, current?.Experts ?? [], current?.Archived ?? [], training);
}
