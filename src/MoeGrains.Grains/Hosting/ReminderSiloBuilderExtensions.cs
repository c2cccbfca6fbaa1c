using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace MoeGrains.Grains.Hosting;

/// <summary>Adds the reminder service chosen by <c>MoeGrains:Reminders:Provider</c>.</summary>
public static class ReminderSiloBuilderExtensions
{
    /// <summary>Adds the configured reminder service and Orleans' minimum reminder period.</summary>
    /// <exception cref="OptionsValidationException">AzureTable without a connection string, or a non-positive minimum period.</exception>
    public static ISiloBuilder AddMoeGrainsReminders(this ISiloBuilder builder, IConfiguration configuration)
    {
        var options = configuration.GetSection(MoeGrainsReminderOptions.SectionName).Get<MoeGrainsReminderOptions>() ?? new MoeGrainsReminderOptions();
        var failures = new List<string>();
        if (options.Provider == ReminderStorageKind.AzureTable && string.IsNullOrWhiteSpace(options.ConnectionString))
            failures.Add($"{MoeGrainsReminderOptions.SectionName}:ConnectionString is required when Provider is AzureTable.");
        if (options.MinimumPeriod <= TimeSpan.Zero)
            failures.Add($"{MoeGrainsReminderOptions.SectionName}:MinimumPeriod must be positive.");
        if (failures.Count > 0) throw new OptionsValidationException(MoeGrainsReminderOptions.SectionName, typeof(MoeGrainsReminderOptions), failures);

        builder.Configure<ReminderOptions>(reminders => reminders.MinimumReminderPeriod = options.MinimumPeriod);
        if (options.Provider == ReminderStorageKind.AzureTable)
            builder.UseAzureTableReminderService(table =>
            {
                table.TableServiceClient = new TableServiceClient(options.ConnectionString);
                table.TableName = options.TableName;
            });
        else builder.UseInMemoryReminderService();
        return builder;
    }
}
