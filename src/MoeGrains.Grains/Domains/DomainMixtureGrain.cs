using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Inference;
using MoeGrains.Abstractions.Tensors;
using MoeGrains.Grains.Datasets;
using MoeGrains.Grains.Hosting;
using MoeGrains.Grains.Messaging;
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
/// store as <c>{model}.mixture</c>; a new store version per manifest change, whether a new mixture version or cached
/// priors added to the current one), and serves mixture evaluation and scoring with one concurrent call per expert per
/// batch. Reentrant: requests in flight keep the manifest they started with while a lifecycle change commits the next one.
/// The mixture math is <see cref="DomainMixture"/> and <see cref="MixtureEvaluator"/>.
/// </summary>
/// <remarks>The training it waits for is in grain storage (<see cref="DomainMixtureState"/>): see DomainMixtureGrain.Training.cs.</remarks>
[Reentrant]
public sealed partial class DomainMixtureGrain(
    [PersistentState("domain-mixture", "moe")] IPersistentState<DomainMixtureState> state,
    ICheckpointStore store,
    IOptions<DomainExpertOptions> options,
    IOptions<MoeGrainsTimeoutOptions> timeouts,
    ILogger<DomainMixtureGrain> logger) : Grain, IDomainMixtureGrain, IRemindable
{
    private static readonly string ManifestBlob = CheckpointLayout.Domain("mixture.json");
    private const string SharedVersionKey = "sharedVersion";
    private const string MixtureVersionKey = "mixtureVersion";

    private readonly SemaphoreSlim changes = new(1, 1);
    private readonly RepeatableCalls reads = new(timeouts.Value, logger);
    private string model = "";
    private MixtureManifest? current;
    private long storeVersion;
    private int sharedVersion;
    private ModelConfig? config;
    private JsonElement configJson;

    private string ManifestStoreName => $"{model}.mixture";

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        model = this.GetPrimaryKeyString();
        if (await store.LatestVersionAsync(ManifestStoreName, cancellationToken) is { } latest)
        {
            var manifest = await store.ReadManifestAsync(ManifestStoreName, latest, cancellationToken);
            current = MixtureManifest.FromJson(Encoding.UTF8.GetString(await store.ReadBlobAsync(ManifestStoreName, latest, ManifestBlob, cancellationToken)));
            storeVersion = latest;
            sharedVersion = int.Parse(manifest.Metadata[SharedVersionKey], CultureInfo.InvariantCulture);
            await ReadConfigAsync(cancellationToken);
        }
        if (Waiting)
        {
            logger.LogInformation("Model {Model}: mixture activated while waiting for {Experts}; polling them", model,
                state.State.Adding ?? string.Join(", ", state.State.PendingDomains!));
            StartPolling();
        }
    }

    /// <inheritdoc/>
    public async Task<DomainMixtureEvaluation> EvaluateAsync(string dataset, string split, int? topK)
    {
        var pinned = Current();
        var corpusSplit = ParseSplit(split);
        if (topK is { } k && (k < 1 || k > pinned.Experts.Count))
            throw new ArgumentException($"Top-{k} needs between 1 and {pinned.Experts.Count} experts (mixture version {pinned.Version} has {pinned.Experts.Count}).");
        var corpus = await DatasetDownloads.OpenAsync(store, dataset);
        var tokenizer = TokenizerFactory.Create(config!.Tokenizer);
        var data = TokenizedSplit.Create(corpus, tokenizer, corpusSplit);
        var valid = TokenizedSplit.Create(corpus, tokenizer, CorpusSplit.Valid);
        var known = data.Domains.Select(d => (d, pinned.CachedPrior(d))).Where(p => p.Item2 is not null).ToDictionary(p => p.d, p => p.Item2!);
        var report = await MixtureEvaluator.EvaluateAsync(Scorers(pinned), data, valid, config.ContextLength, batchSize: 16, topK,
            cachedPriors: known);
        // Priors estimated here on the validation split are the manifest's cached priors: store them for the next request.
        await StorePriorsAsync(pinned, report.Domains
            .Where(r => !known.ContainsKey(r.Domain) && valid.Domains.Contains(r.Domain))
            .ToDictionary(r => r.Domain, r => pinned.Experts.Select(e => r.CachedPrior[e]).ToArray()));
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
            return Status(state.State.LastTraining ?? []);
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

    private static CorpusSplit ParseSplit(string split) => split switch
    {
        "valid" => CorpusSplit.Valid,
        "test" => CorpusSplit.Test,
        _ => throw new ArgumentException($"Unknown split '{split}'. Expected valid or test."),
    };

    /// <summary>Commits <paramref name="next"/> as the next store version of the manifest (a new mixture version, or the current one with more priors).</summary>
    private async Task CommitAsync(MixtureManifest next)
    {
        var version = storeVersion + 1;
        await using (var writer = await store.BeginCheckpointAsync(ManifestStoreName, version))
        {
            await writer.PutAsync(ManifestBlob, Encoding.UTF8.GetBytes(next.ToJson()));
            await writer.CommitAsync(new CheckpointCommit(0, configJson)
            {
                ParentVersion = storeVersion > 0 ? storeVersion : null,
                Metadata = new Dictionary<string, string>
                {
                    [SharedVersionKey] = sharedVersion.ToString(CultureInfo.InvariantCulture),
                    [MixtureVersionKey] = next.Version.ToString(CultureInfo.InvariantCulture),
                },
            });
        }
        storeVersion = version;
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
            var payload = TensorCodec.ToPayload(batch.Tokens);
            var result = await reads.SendAsync(() => grain.LogProbsAsync(payload, version), $"Domain expert '{name}' of '{model}' (version {version})");
            return TensorCodec.FromPayload(result, expectedType: TensorDType.Float64, what: $"log-probabilities of expert '{name}'");
        });
    })];

    private MixtureManifest Current() => current ?? throw new ArgumentException(
        state.State.PendingDomains is null
            ? $"Model '{model}' has no mixture of domain experts: train its experts first."
            : $"Model '{model}' is still training its domain experts; the mixture exists once they have all finished.");

    private IDomainExpertGrain Expert(string domain) => GrainFactory.GetGrain<IDomainExpertGrain>(DomainExpertNames.GrainKey(model, domain));

    private DomainMixtureStatus Status(IReadOnlyList<DomainExpertStatus> training) =>
        new(current?.Version ?? 0, current?.Experts ?? [], current?.Archived ?? [], training);
}
