using Microsoft.Extensions.Logging;

namespace MoeGrains.Cli;

/// <summary>Logging for the command line: one line per message, on stderr, so stdout stays for results (tables, JSON).</summary>
internal static class CliLogging
{
    public static ILoggerFactory Create(LogLevel minimum = LogLevel.Information) => LoggerFactory.Create(builder => Configure(builder, minimum));

    /// <summary>The same logging for a host the command starts (embedded silo, cluster client); Orleans itself only from warnings.</summary>
    public static void Configure(ILoggingBuilder builder, LogLevel minimum = LogLevel.Information) => builder
        .SetMinimumLevel(minimum)
        .AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss ";
        })
        .AddFilter("Microsoft", LogLevel.Warning)
        .AddFilter("Orleans", LogLevel.Warning)
        .AddFilter("Polly", LogLevel.Warning) // Orleans' placement retries log every attempt
        .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
}
