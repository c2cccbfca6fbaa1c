using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using MoeGrains.Grains.Cluster;
using MoeGrains.Grains.Hosting;
using MoeGrains.Grains.Limits;
using MoeGrains.Grains.Persistence;
using MoeGrains.Grains.Pipelines;
using MoeGrains.Grains.Placement;
using MoeGrains.Security;
using MoeGrains.Silo.Hosting;
using MoeGrains.Storage;

namespace MoeGrains.Deploy.Tests.Configuration;

/// <summary>
/// What the silo host reads: each configuration section with the options class it binds to and that class's validator, the
/// free-form sections, and the environment variables read outside configuration. Checks an environment (as a deployment file
/// gives it) key by key: a key nothing reads, a value that does not bind, or a value a validator rejects is reported by name.
/// </summary>
internal static class SiloConfigurationKeys
{
    /// <summary>Sections bound to options classes by <c>UseMoeGrainsSilo</c>, with the validator the silo runs on them.</summary>
    public static readonly IReadOnlyList<(string Section, Type Options, Func<object, ValidateOptionsResult> Validate)> BoundSections =
    [
        (MoeGrainsSiloOptions.SectionName, typeof(MoeGrainsSiloOptions), o => new MoeGrainsSiloOptionsValidator().Validate(null, (MoeGrainsSiloOptions)o)),
        (AcceleratorOptions.SectionName, typeof(AcceleratorOptions), o => new AcceleratorOptionsValidator(new CudaProbeForChecks()).Validate(null, (AcceleratorOptions)o)),
        (MoeGrainsStorageOptions.SectionName, typeof(MoeGrainsStorageOptions), o => new MoeGrainsStorageOptionsValidator().Validate(null, (MoeGrainsStorageOptions)o)),
        (MoeGrainsSiloBuilderExtensions.CheckpointsSection, typeof(CheckpointStoreOptions),
            o => new CheckpointStoreOptionsValidator(MoeGrainsSiloBuilderExtensions.CheckpointsSection).Validate(null, (CheckpointStoreOptions)o)),
        (MoeGrainsTimeoutOptions.SectionName, typeof(MoeGrainsTimeoutOptions), _ => ValidateOptionsResult.Success),
        (RequestLimitOptions.SectionName, typeof(RequestLimitOptions), o => new RequestLimitOptionsValidator().Validate(null, (RequestLimitOptions)o)),
        (MoeGrainsTlsOptions.SectionName, typeof(MoeGrainsTlsOptions), o => new MoeGrainsTlsOptionsValidator().Validate(null, (MoeGrainsTlsOptions)o)),
        (HealthEndpointOptions.SectionName, typeof(HealthEndpointOptions), o => new HealthEndpointOptionsValidator().Validate(null, (HealthEndpointOptions)o)),
        (SiloShutdownOptions.SectionName, typeof(SiloShutdownOptions), _ => ValidateOptionsResult.Success),
        (SiloDrainOptions.SectionName, typeof(SiloDrainOptions), _ => ValidateOptionsResult.Success),
        (MoeGrainsReminderOptions.SectionName, typeof(MoeGrainsReminderOptions), o => ((MoeGrainsReminderOptions)o) is { Provider: ReminderStorageKind.AzureTable, ConnectionString: null or "" }
            ? ValidateOptionsResult.Fail($"{MoeGrainsReminderOptions.SectionName}:ConnectionString is required when Provider is AzureTable.") : ValidateOptionsResult.Success),
        (PipelineOptions.SectionName, typeof(PipelineOptions), _ => ValidateOptionsResult.Success),
    ];

    /// <summary>Single keys the host reads directly.</summary>
    public static readonly IReadOnlySet<string> ScalarKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Orleans:ClusterId", "Orleans:ServiceId" };

    /// <summary>Sections whose keys are free-form: silo metadata pairs and log levels.</summary>
    public static readonly IReadOnlyList<string> FreeSections = ["Orleans:Metadata", "Logging"];

    /// <summary>Environment variables read outside configuration: Orleans Kubernetes hosting's, the torch thread cap, the .NET and NVIDIA runtimes'.</summary>
    public static readonly IReadOnlySet<string> ProcessVariables = new HashSet<string>(StringComparer.Ordinal)
    {
        "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID", "MOE_TORCH_THREADS",
    };

    /// <summary>Every problem with <paramref name="environment"/> (empty when the silo host reads and accepts all of it).</summary>
    /// <param name="environment">Environment variables as a deployment file sets them.</param>
    /// <param name="where">Where they come from, for messages.</param>
    public static IReadOnlyList<string> Problems(IReadOnlyDictionary<string, string> environment, string where)
    {
        var problems = new List<string>();
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            if (ProcessVariables.Contains(name) || name.StartsWith("DOTNET_", StringComparison.Ordinal) || name.StartsWith("NVIDIA_", StringComparison.Ordinal))
                continue;
            var key = name.Replace("__", ":", StringComparison.Ordinal);
            settings[key] = value;
            if (!ScalarKeys.Contains(key)
                && !FreeSections.Any(s => key.StartsWith(s + ":", StringComparison.OrdinalIgnoreCase))
                && !BoundSections.Any(s => key.StartsWith(s.Section + ":", StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"{where}: {name} is read by nothing in the silo host (no options section, Orleans key or known variable).");
            }
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        foreach (var (section, type, validate) in BoundSections)
        {
            var child = configuration.GetSection(section);
            if (!child.GetChildren().Any()) continue;
            // Several options classes may share a section (MoeGrains:Silo): each binds the keys it has; a key none has is reported.
            var sharing = BoundSections.Where(s => s.Section == section).Select(s => s.Options).ToList();
            if (sharing.Count > 1 && sharing[0] == type)
                foreach (var key in child.GetChildren().Select(c => c.Key)
                             .Where(key => !sharing.Any(t => t.GetProperty(key, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase) is not null)))
                    problems.Add($"{where}: {section}:{key} is read by none of {string.Join(", ", sharing.Select(t => t.Name))}.");
            object bound;
            try
            {
                bound = child.Get(type, binder => binder.ErrorOnUnknownConfiguration = sharing.Count == 1) ?? Activator.CreateInstance(type)!;
            }
            catch (InvalidOperationException e)
            {
                problems.Add($"{where}: section {section} does not bind to {type.Name}: {e.Message}");
                continue;
            }
            var result = validate(bound);
            if (result.Failed) problems.AddRange(result.Failures.Select(f => $"{where}: {f}"));
        }
        return problems;
    }

    /// <summary>Answers the CUDA questions of <see cref="AcceleratorOptionsValidator"/> as a GPU node would, so cuda settings check offline.</summary>
    private sealed class CudaProbeForChecks : IAcceleratorProbe
    {
        public bool IsCudaAvailable => true;

        public int CudaDeviceCount => 8;
    }
}
