using MoeGrains.Deploy.Tests.Configuration;
using YamlDotNet.RepresentationModel;

namespace MoeGrains.Deploy.Tests.Manifests;

/// <summary>deploy/k8s checked offline: the objects parse, reference each other consistently and set only what the silo host reads.</summary>
public sealed class KubernetesManifestTests
{
    /// <summary>What the README tells operators to put in the Secret moegrains-storage (values here: Azurite's development account).</summary>
    internal static readonly IReadOnlyDictionary<string, string> DocumentedSecrets = new Dictionary<string, string>
    {
        ["moegrains-storage/clustering-connection-string"] = "UseDevelopmentStorage=true",
        ["moegrains-storage/storage-connection-string"] = "UseDevelopmentStorage=true",
    };

    private readonly KubernetesManifests manifests = KubernetesManifests.Load();

    [Fact]
    public void Every_listed_file_parses_and_every_object_has_api_version_kind_and_name()
    {
        Assert.NotEmpty(KubernetesManifests.ResourceFiles());
        Assert.All(manifests.Objects, o =>
        {
            Assert.False(string.IsNullOrEmpty(o.Node.Scalar("apiVersion")), $"{o.File}: an object has no apiVersion");
            Assert.False(string.IsNullOrEmpty(o.Node.Scalar("kind")), $"{o.File}: an object has no kind");
            Assert.False(string.IsNullOrEmpty(o.Node.Map("metadata")?.Scalar("name")), $"{o.File}: a {o.Node.Scalar("kind")} has no metadata.name");
        });
        var kinds = manifests.Objects.Select(o => o.Node.Scalar("kind")).ToHashSet();
        foreach (var kind in new[] { "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Deployment", "StatefulSet", "Service", "PodDisruptionBudget" })
            Assert.Contains(kind, kinds);
        var yamlFiles = Directory.GetFiles(DeploymentFiles.KubernetesFolder, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml");
        Assert.Equal(yamlFiles.Order(), KubernetesManifests.ResourceFiles().Order());
    }

    [Fact]
    public void Selectors_match_pod_labels_and_services_target_declared_container_ports()
    {
        foreach (var workload in manifests.Workloads)
        {
            var name = KubernetesManifests.Name(workload);
            var selector = workload.Required("spec.selector.matchLabels", name).Strings();
            var labels = KubernetesManifests.PodTemplate(workload).Required("metadata.labels", name).Strings();
            Assert.NotEmpty(selector);
            Assert.All(selector, pair => Assert.True(labels.TryGetValue(pair.Key, out var v) && v == pair.Value, $"{name}: selector {pair.Key}={pair.Value} is not a pod label"));
        }
        foreach (var service in manifests.OfKind("Service"))
        {
            var name = KubernetesManifests.Name(service);
            var selected = Selected(service.Required("spec.selector", name).Strings()).ToList();
            var workload = Assert.Single(selected);
            var portNames = KubernetesManifests.SiloContainer(workload).Sequence("ports").Mappings().SelectMany(p => new[] { p.Scalar("name"), p.Scalar("containerPort") }).ToHashSet();
            Assert.All(service.Required("spec", name).Sequence("ports").Mappings(), port =>
                Assert.True(portNames.Contains(port.Scalar("targetPort")), $"Service {name}: targetPort {port.Scalar("targetPort")} is no port of {KubernetesManifests.Name(workload)}"));
        }
        foreach (var budget in manifests.OfKind("PodDisruptionBudget"))
        {
            var name = KubernetesManifests.Name(budget);
            Assert.Single(Selected(budget.Required("spec.selector.matchLabels", name).Strings()));
        }
        foreach (var statefulSet in manifests.OfKind("StatefulSet"))
            manifests.Get("Service", statefulSet.Required("spec", KubernetesManifests.Name(statefulSet)).Scalar("serviceName")!);
        Assert.NotNull(manifests.Get("Service", "moegrains-gateway"));
    }

    [Fact]
    public void Silo_pods_carry_the_orleans_ids_and_run_under_an_account_allowed_to_watch_and_delete_pods()
    {
        var role = manifests.Get("Role", "moegrains-silo");
        var verbs = role.Sequence("rules").Mappings().Where(r => r.Sequence("resources")!.Children.Any(c => ((YamlScalarNode)c).Value == "pods"))
            .SelectMany(r => r.Sequence("verbs")!.Children.Select(v => ((YamlScalarNode)v).Value)).ToHashSet();
        foreach (var verb in new[] { "get", "list", "watch", "delete" }) Assert.Contains(verb, verbs);
        var binding = manifests.Get("RoleBinding", "moegrains-silo");
        Assert.Equal("moegrains-silo", binding.Map("roleRef")!.Scalar("name"));
        var boundAccounts = binding.Sequence("subjects").Mappings().Select(s => s.Scalar("name")).ToHashSet();

        var ids = new HashSet<string>();
        foreach (var workload in manifests.Workloads)
        {
            var name = KubernetesManifests.Name(workload);
            var pod = KubernetesManifests.PodTemplate(workload);
            Assert.Contains(pod.Required("spec", name).Scalar("serviceAccountName"), boundAccounts);
            var labels = pod.Required("metadata.labels", name).Strings();
            Assert.True(labels.ContainsKey("orleans/serviceId") && labels.ContainsKey("orleans/clusterId"), $"{name}: pod labels lack orleans/serviceId or orleans/clusterId");
            ids.Add($"{labels["orleans/serviceId"]}/{labels["orleans/clusterId"]}");
            var environment = manifests.Environment(workload, DocumentedSecrets);
            Assert.Equal(labels["orleans/clusterId"], environment["ORLEANS_CLUSTER_ID"]);
            Assert.Equal(labels["orleans/serviceId"], environment["ORLEANS_SERVICE_ID"]);
            Assert.Equal(labels["orleans/clusterId"], environment["Orleans__ClusterId"]);
            Assert.Equal("true", environment["MoeGrains__Silo__KubernetesHosting"]);
            Assert.Equal("10.1.2.3", environment["MoeGrains__Silo__AdvertisedIPAddress"]);
        }
        Assert.Single(ids);
    }

    [Fact]
    public void Expert_silos_run_on_the_gpu_pool_and_publish_the_gpus_they_are_given()
    {
        var experts = manifests.Get("StatefulSet", "moegrains-expert");
        var pod = KubernetesManifests.PodTemplate(experts).Map("spec")!;
        Assert.NotEmpty(pod.Map("nodeSelector").Strings());
        Assert.Contains(pod.Sequence("tolerations").Mappings(), t => t.Scalar("key") == "nvidia.com/gpu" && t.Scalar("effect") == "NoSchedule");
        var gpus = KubernetesManifests.SiloContainer(experts).Required("resources.limits", "moegrains-expert").Scalar("nvidia.com/gpu");
        Assert.NotNull(gpus);
        var environment = manifests.Environment(experts, DocumentedSecrets);
        Assert.Equal(gpus, environment["MoeGrains__Accelerator__Devices"]);
        Assert.Equal("cuda", environment["MoeGrains__Accelerator__Accelerator"]);
        Assert.True(int.Parse(environment["MoeGrains__Accelerator__ExpertSlots"]) > 0);
        Assert.Equal("0", environment["MoeGrains__Silo__GatewayPort"]);

        var gateway = manifests.Environment(manifests.Get("Deployment", "moegrains-gateway"), DocumentedSecrets);
        Assert.Equal("0", gateway["MoeGrains__Accelerator__ExpertSlots"]);
        Assert.NotEqual("0", gateway["MoeGrains__Silo__GatewayPort"]);
    }

    [Fact]
    public void Probes_reach_the_health_endpoint_and_termination_outlasts_the_drain()
    {
        foreach (var workload in manifests.Workloads)
        {
            var name = KubernetesManifests.Name(workload);
            var container = KubernetesManifests.SiloContainer(workload);
            var environment = manifests.Environment(workload, DocumentedSecrets);
            var healthPort = container.Sequence("ports").Mappings().Single(p => p.Scalar("name") == "health").Scalar("containerPort");
            Assert.Equal(environment["MoeGrains__Health__Port"], healthPort);
            Assert.NotEqual("127.0.0.1", environment["MoeGrains__Health__Address"]);
            Assert.Equal("/healthz/ready", container.Required("readinessProbe.httpGet", name).Scalar("path"));
            Assert.Equal("/healthz/live", container.Required("livenessProbe.httpGet", name).Scalar("path"));
            Assert.Equal("health", container.Required("readinessProbe.httpGet", name).Scalar("port"));

            var grace = TimeSpan.FromSeconds(int.Parse(KubernetesManifests.PodTemplate(workload).Map("spec")!.Scalar("terminationGracePeriodSeconds")!));
            var preStop = TimeSpan.FromSeconds(int.Parse(container.Required("lifecycle.preStop.sleep", name).Scalar("seconds")!));
            var hostTimeout = TimeSpan.Parse(environment["MoeGrains__Shutdown__HostTimeout"]);
            var drainTimeout = TimeSpan.Parse(environment["MoeGrains__Silo__DrainTimeout"]);
            Assert.True(grace > preStop + hostTimeout, $"{name}: terminationGracePeriodSeconds {grace} must exceed preStop {preStop} + host shutdown {hostTimeout}");
            Assert.True(hostTimeout > drainTimeout, $"{name}: host shutdown {hostTimeout} must exceed the drain {drainTimeout}");
        }
    }

    [Fact]
    public void Every_setting_the_manifests_give_a_silo_is_read_and_accepted_by_the_silo_host()
    {
        foreach (var workload in manifests.Workloads)
        {
            var environment = manifests.Environment(workload, DocumentedSecrets);
            Assert.Empty(SiloConfigurationKeys.Problems(environment, KubernetesManifests.Name(workload)));
        }
    }

    [Fact]
    public void Credentials_come_only_from_the_secret()
    {
        foreach (var configMap in manifests.OfKind("ConfigMap"))
        {
            Assert.DoesNotContain(configMap.Map("data").Strings().Keys,
                key => key.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase) || key.Contains("Password", StringComparison.OrdinalIgnoreCase));
        }
        foreach (var workload in manifests.Workloads)
        {
            foreach (var entry in KubernetesManifests.SiloContainer(workload).Sequence("env").Mappings())
            {
                var name = entry.Scalar("name")!;
                if (name.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase) || name.Contains("Password", StringComparison.OrdinalIgnoreCase))
                    Assert.True(entry.Map("valueFrom")?.Map("secretKeyRef") is not null, $"{KubernetesManifests.Name(workload)}: {name} must come from a secretKeyRef");
            }
        }
        Assert.DoesNotContain(manifests.Objects, o => o.Node.Scalar("kind") == "Secret");
    }

    private IEnumerable<YamlMappingNode> Selected(Dictionary<string, string> selector) =>
        manifests.Workloads.Where(w =>
        {
            var labels = KubernetesManifests.PodTemplate(w).Map("metadata")!.Map("labels").Strings();
            return selector.All(pair => labels.TryGetValue(pair.Key, out var v) && v == pair.Value);
        });
}
