using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MoeGrains.Grains.Domains;

namespace MoeGrains.Grains.Hosting;

/// <summary>Registers the domain-expert options (section <see cref="DomainExpertOptions.SectionName"/>).</summary>
public static class DomainExpertSiloBuilderExtensions
{
    /// <summary>Binds and validates <see cref="DomainExpertOptions"/>.</summary>
    public static ISiloBuilder AddMoeGrainsDomainExperts(this ISiloBuilder builder, IConfiguration configuration)
    {
        builder.Services.AddOptions<DomainExpertOptions>()
            .Bind(configuration.GetSection(DomainExpertOptions.SectionName))
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.ReminderPeriod > TimeSpan.Zero,
                $"{DomainExpertOptions.SectionName}:PollInterval and ReminderPeriod must be positive.")
            .Validate(o => o.MaxConsecutiveFailures >= 1, $"{DomainExpertOptions.SectionName}:MaxConsecutiveFailures must be at least 1.")
            .Validate(o => o.InitialBackoff > TimeSpan.Zero && o.MaxBackoff >= o.InitialBackoff,
                $"{DomainExpertOptions.SectionName}:InitialBackoff must be positive and MaxBackoff at least InitialBackoff.")
            .ValidateOnStart();
        return builder;
    }
}
