using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MoeGrains.Grains.Limits;

namespace MoeGrains.Grains.Hosting;

/// <summary>Registers the routers' request limits.</summary>
public static class RequestLimitSiloBuilderExtensions
{
    /// <summary>Binds <see cref="RequestLimitOptions"/> from <c>MoeGrains:Limits</c>, validated when the silo starts.</summary>
    public static ISiloBuilder AddMoeGrainsRequestLimits(this ISiloBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<RequestLimitOptions>().Bind(configuration.GetSection(RequestLimitOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RequestLimitOptions>, RequestLimitOptionsValidator>();
        return builder;
    }
}
