using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MoeGrains.Storage.Hosting;

/// <summary>Registers the checkpoint store.</summary>
public static class CheckpointStoreServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="CheckpointStoreOptions"/> from <paramref name="section"/> (e.g. <c>configuration.GetSection("CheckpointStore")</c>),
    /// validates it on start (messages name the setting by its configuration path) and registers a singleton <see cref="ICheckpointStore"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section.</param>
    public static IServiceCollection AddCheckpointStore(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var path = (section as IConfigurationSection)?.Path ?? CheckpointStoreOptions.SectionName;
        services.AddOptions<CheckpointStoreOptions>().Bind(section).ValidateOnStart();
        return services.AddCheckpointStoreCore(path);
    }

    /// <summary>Registers the store with options set in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    public static IServiceCollection AddCheckpointStore(this IServiceCollection services, Action<CheckpointStoreOptions> configure)
    {
        services.AddOptions<CheckpointStoreOptions>().Configure(configure).ValidateOnStart();
        return services.AddCheckpointStoreCore(CheckpointStoreOptions.SectionName);
    }

    private static IServiceCollection AddCheckpointStoreCore(this IServiceCollection services, string sectionPath)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CheckpointStoreOptions>>(new CheckpointStoreOptionsValidator(sectionPath)));
        services.TryAddSingleton<ICheckpointStore>(provider => CheckpointStoreFactory.Create(
            provider.GetRequiredService<IOptions<CheckpointStoreOptions>>().Value,
            provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance));
        return services;
    }
}
