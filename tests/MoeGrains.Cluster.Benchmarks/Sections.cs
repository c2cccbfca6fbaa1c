using Microsoft.Extensions.DependencyInjection;
using MoeGrains.Abstractions.Models;
using MoeGrains.Client;
using MoeGrains.Grains.Routers;

namespace MoeGrains.Cluster.Benchmarks;

/// <summary>The three cluster set-ups and what is measured on each.</summary>
internal static class Sections
{
    /// <summary>Router and experts on one in-process silo: training for every gate, scoring for the first.</summary>
    public static async Task<(List<TrainingResult> Training, InferenceResult Inference)> OneSiloAsync(string storeRoot)
    {
        var cluster = await InProcessClusters.StartAsync(InProcessClusters.Silo(expertSlots: 64, storeRoot));
        try
        {
            var client = new MoeClient(cluster.Client);
            await client.UploadDatasetAsync("sample", BenchSettings.Corpus);
            var training = new List<TrainingResult>();
            foreach (var gate in BenchSettings.TrainingGates) training.Add(await TrainingRatio.MeasureAsync(client, Create(client, $"one-{gate}"), gate));
            var inference = await InferenceRatio.MeasureAsync(client, Create(client, "one-score"), BenchSettings.Gates[0]);
            return (training, inference);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    /// <summary>Two in-process silos: an expert's round trip from its own silo and from the other one.</summary>
    public static async Task<double[]> TwoSilosCallAsync(string storeRoot)
    {
        var cluster = await InProcessClusters.StartAsync(InProcessClusters.Silo(expertSlots: 64, storeRoot), InProcessClusters.Silo(expertSlots: 0, storeRoot));
        try
        {
            var client = new MoeClient(cluster.Client);
            var spec = new ModelSpec("tiny", "switch", Seed: BenchSettings.Seed);
            await client.CreateModelAsync("probe", spec);
            var expert = (await client.ListExpertsAsync("probe"))[0];
            var home = cluster.Silos.Single(s => s.SiloAddress.ToString() == expert.Silo);
            var other = cluster.Silos.Single(s => s != home);
            IGrainFactory[] callers = [home.SiloHost.Services.GetRequiredService<IGrainFactory>(), other.SiloHost.Services.GetRequiredService<IGrainFactory>()];
            return await CallOverhead.MedianMicrosecondsAsync(callers, expert.Id, ModelSpecs.ToConfig(spec).ModelDim);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    /// <summary>A router silo process and an expert silo process: training, scoring, and an expert call from this process.</summary>
    public static async Task<ProcessResults> TwoProcessesAsync(string storeRoot)
    {
        await using var cluster = await ProcessCluster.StartAsync(storeRoot);
        var client = new MoeClient(cluster.RouterGateway);
        await client.UploadDatasetAsync("sample", BenchSettings.Corpus);
        var training = new List<TrainingResult>();
        var placements = new List<string>();
        foreach (var gate in BenchSettings.TrainingGates)
        {
            training.Add(await TrainingRatio.MeasureAsync(client, CreatePlaced(cluster, client, $"procs-{gate}", placements), gate));
        }
        var inference = await InferenceRatio.MeasureAsync(client, CreatePlaced(cluster, client, "procs-score", placements), BenchSettings.Gates[0]);

        var spec = new ModelSpec("tiny", "switch", Seed: BenchSettings.Seed);
        await client.CreateModelAsync("probe", spec);
        var expert = (await client.ListExpertsAsync("probe"))[0];
        var call = await CallOverhead.MedianMicrosecondsAsync([cluster.ExpertGateway], expert.Id, ModelSpecs.ToConfig(spec).ModelDim);
        return new ProcessResults(training, inference, call[0], placements);
    }

    private static Func<ModelSpec, Task<string>> Create(MoeClient client, string name) => async spec =>
    {
        await client.CreateModelAsync(name, spec);
        return name;
    };

    /// <summary>
    /// Creates the model under <paramref name="name"/>, then <c>name-2</c>, … until Orleans places its router on the router
    /// silo (the default placement may put it on the expert silo, which would measure one process); notes each attempt.
    /// </summary>
    private static Func<ModelSpec, Task<string>> CreatePlaced(ProcessCluster cluster, MoeClient client, string name, List<string> notes) => async spec =>
    {
        for (var attempt = 1; attempt <= 8; attempt++)
        {
            var model = attempt == 1 ? name : $"{name}-{attempt}";
            await client.CreateModelAsync(model, spec);
            var (placed, note) = await RouterPlacementAsync(cluster, client, model);
            notes.Add(note);
            if (placed) return model;
        }
        throw new InvalidOperationException($"The router of {name} was never placed on the router silo in 8 attempts.");
    };

    /// <summary>Where the model's router and experts live: "router on the router silo, experts on the expert silo" or what differs.</summary>
    private static async Task<(bool OnRouterSilo, string Note)> RouterPlacementAsync(ProcessCluster cluster, MoeClient client, string model)
    {
        var management = cluster.RouterGateway.GetGrain<IManagementGrain>(0);
        var router = await management.GetActivationAddress(cluster.RouterGateway.GetGrain<IRouterGrain>(model));
        var expertSilos = (await client.ListExpertsAsync(model)).Select(e => e.Silo).Distinct().ToList();
        var onRouterSilo = router?.Endpoint.Port == cluster.RouterSiloPort;
        return (onRouterSilo, $"{model}: router on {(onRouterSilo ? "the router silo" : $"{router} (NOT the router silo)")}, experts on {string.Join(", ", expertSilos)}");
    }
}
