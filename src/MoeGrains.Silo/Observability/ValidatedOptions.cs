using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MoeGrains.Silo.Observability;

/// <summary>Binds and validates options at configuration time, so a bad setting stops a host before anything starts.</summary>
public static class ValidatedOptions
{
    /// <summary>Binds <typeparamref name="T"/> from <paramref name="section"/> (defaults when absent) and validates it.</summary>
    /// <exception cref="OptionsValidationException">A setting is invalid; the failures name their keys.</exception>
    public static T Bind<T, TValidator>(IConfiguration configuration, string section)
        where T : class, new()
        where TValidator : IValidateOptions<T>, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(section).Get<T>() ?? new T();
        var validation = new TValidator().Validate(null, options);
        if (validation.Failed) throw new OptionsValidationException(section, typeof(T), validation.Failures);
        return options;
    }
}
