using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Training;
using MoeGrains.Grains.Datasets;
using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using MoeGrains.Storage;

namespace MoeGrains.Grains.Domains;

/// <summary>
/// The training a mixture waits for — phase 2 (every expert at once) or an added expert — is in grain storage. While it
/// waits, a timer polls the experts (a poll re-activates an expert whose silo died on another expert silo, where it
/// resumes from its last committed checkpoint) and commits the next version once they have finished; a reminder
/// re-activates the mixture itself after its silo or the cluster restarted.
/// </summary>
public sealed partial class DomainMixtureGrain
{
    private const string ReminderName = "domain-mixture-wait";
    private readonly Dictionary<string, DomainExpertStatus> lastKnown = new(StringComparer.Ordinal);
    private IGrainTimer? poll;

    private bool Waiting => state.State.PendingDomains is not null || state.State.Adding is not null;

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
            if (state.State.PendingDomains is { } pending)
            {
                // The same request again (a coordinator that restarted) is the training already under way.
                if (pending.SequenceEqual(domains) && request == state.State.PendingRequest) return Status([.. await PollExpertsAsync(pending, request)]);
                throw new InvalidOperationException($"Model '{model}' is already training domain experts ({string.Join(", ", pending)}).");
            }
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
            (state.State.PendingDomains, state.State.PendingRequest) = ([.. domains], request);
            await state.WriteStateAsync();
            await StartWaitingAsync();
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
            if (state.State.Adding == domain) return Status([.. await PollExpertsAsync([domain], state.State.AddingRequest!)]);
            Checked(() => pinned.WithAdded(domain));
            if (state.State.Adding is { } other) throw new InvalidOperationException($"Model '{model}' is already adding the expert '{other}'.");
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
            (state.State.Adding, state.State.AddingRequest) = (domain, child);
            await state.WriteStateAsync();
            await StartWaitingAsync();
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
        if (state.State is { Adding: { } added, AddingRequest: { } addingRequest })
        {
            var status = (await PollExpertsAsync([added], addingRequest))[0];
            if (status.State is TrainingState.Completed or TrainingState.Failed) await EndAddingAsync(status);
            return Status([status]);
        }
        if (state.State is not { PendingDomains: { } domains, PendingRequest: { } request }) return Status(state.State.LastTraining ?? []);
        var statuses = await PollExpertsAsync(domains, request);
        if (statuses.All(s => s.State == TrainingState.Completed)) await CommitFirstAsync(domains, request, statuses);
        return Status(statuses);
    }

    /// <inheritdoc/>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName) return;
        if (Waiting) StartPolling();
        else await StopWaitingAsync();
    }

    /// <summary>
    /// Every expert's status. An expert that does not answer (its silo just died) reports its last known status with the
    /// error; the next poll re-activates it elsewhere. One that has no run (never started, or its start was lost with this
    /// grain's silo) is started with the request.
    /// </summary>
    private async Task<IReadOnlyList<DomainExpertStatus>> PollExpertsAsync(IReadOnlyList<string> domains, DomainExpertTrainingRequest request) =>
        await Task.WhenAll(domains.Select(async domain =>
        {
            try
            {
                var status = await Expert(domain).GetStatusAsync();
                if (status.State == TrainingState.Idle) status = await Expert(domain).StartTrainingAsync(request);
                lock (lastKnown) lastKnown[domain] = status;
                return status;
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                logger.LogWarning("Model {Model}: domain expert {Domain} did not answer ({Error}); it resumes from its last checkpoint when re-activated", model, domain, e.Message);
                DomainExpertStatus? known;
                lock (lastKnown) known = lastKnown.GetValueOrDefault(domain);
                return (known ?? new DomainExpertStatus(domain, TrainingState.Running, 0, request.Steps, 0, 0, 0, "?")) with
                {
                    State = TrainingState.Running,
                    TokensPerSecond = 0,
                    Error = $"not answering: {e.Message}",
                };
            }
        }));

    private async Task CommitFirstAsync(IReadOnlyList<string> domains, DomainExpertTrainingRequest request, IReadOnlyList<DomainExpertStatus> statuses)
    {
        await changes.WaitAsync();
        try
        {
            if (state.State.PendingDomains is null || current is not null) return;
            sharedVersion = request.SharedVersion;
            await ReadConfigAsync(CancellationToken.None);
            var shared = await store.ReadManifestAsync(model, sharedVersion);
            var sha = shared.Blobs.OrderBy(b => b.Path, StringComparer.Ordinal).First().Sha256;
            var versions = statuses.ToDictionary(s => s.Expert, s => s.Version);
            await CommitAsync(MixtureManifest.First(sha, domains, versions));
            (state.State.PendingDomains, state.State.PendingRequest, state.State.LastTraining) = (null, null, [.. statuses]);
            await state.WriteStateAsync();
            await StopWaitingAsync();
            logger.LogInformation("Model {Model}: mixture version 1 of {Count} domain experts committed", model, versions.Count);
        }
        finally
        {
            changes.Release();
        }
    }

    /// <summary>
    /// Ends the add of <paramref name="final"/>'s expert: a completed expert joins the next version (with its cached priors
    /// estimated again), a failed one leaves the mixture as it is; either way the status is kept as the last training's.
    /// </summary>
    private async Task EndAddingAsync(DomainExpertStatus final)
    {
        var domain = final.Expert;
        await changes.WaitAsync();
        try
        {
            if (state.State.Adding != domain) return;
            if (final.State == TrainingState.Completed)
            {
                var previous = Current();
                await CommitAsync(await WithPriorsAfterAddingAsync(previous, previous.WithAdded(domain).WithExpertVersion(domain, final.Version), domain,
                    state.State.AddingRequest!.Dataset));
            }
            (state.State.Adding, state.State.AddingRequest, state.State.LastTraining) = (null, null, [final]);
            await state.WriteStateAsync();
            await StopWaitingAsync();
            if (final.State == TrainingState.Completed)
                logger.LogInformation("Model {Model}: mixture version {Version} (added {Domain})", model, current!.Version, domain);
            else
                logger.LogWarning("Model {Model}: adding expert {Domain} failed; the mixture stays at version {Version}", model, domain, current?.Version);
        }
        finally
        {
            changes.Release();
        }
    }

    private async Task StartWaitingAsync()
    {
        StartPolling();
        try
        {
            await this.RegisterOrUpdateReminder(ReminderName, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning("Model {Model}: could not register the mixture's reminder ({Error}); it resumes waiting when next called", model, e.Message);
        }
    }

    private void StartPolling() =>
        poll ??= this.RegisterGrainTimer(async _ =>
        {
            if (Waiting) await GetStatusAsync();
        }, new GrainTimerCreationOptions
        {
            DueTime = options.Value.PollInterval,
            Period = options.Value.PollInterval,
            Interleave = false,
            KeepAlive = true,
        });

    private async Task StopWaitingAsync()
    {
        poll?.Dispose();
        poll = null;
        try
        {
            if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning("Model {Model}: could not remove the mixture's reminder ({Error})", model, e.Message);
        }
    }
}
