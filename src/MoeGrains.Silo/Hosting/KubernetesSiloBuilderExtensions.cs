using Microsoft.Extensions.Configuration;

namespace MoeGrains.Silo.Hosting;

/// <summary>Orleans Kubernetes hosting behind the switch <c>MoeGrains:Silo:KubernetesHosting</c>.</summary>
public static class KubernetesSiloBuilderExtensions
{
    /// <summary>
    /// With <c>MoeGrains:Silo:KubernetesHosting=true</c>: <c>UseKubernetesHosting</c>, which takes the silo name from
    /// <c>POD_NAME</c>, the cluster and service ids from <c>ORLEANS_CLUSTER_ID</c>/<c>ORLEANS_SERVICE_ID</c> (the pod labels
    /// <c>orleans/clusterId</c>, <c>orleans/serviceId</c> through the downward API; they win over <c>Orleans:ClusterId</c>) and
    /// removes the membership entries of deleted pods (the RBAC in <c>deploy/k8s</c> lets it watch and delete pods).
    /// Call after <see cref="ClusteringSiloBuilderExtensions.UseMoeGrainsClustering"/>.
    /// </summary>
    public static ISiloBuilder UseMoeGrainsKubernetes(this ISiloBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetValue<bool>($"{MoeGrainsSiloOptions.SectionName}:{nameof(MoeGrainsSiloOptions.KubernetesHosting)}")
            ? builder.UseKubernetesHosting()
            : builder;
    }
}
