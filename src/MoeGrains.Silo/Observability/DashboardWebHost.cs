using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace MoeGrains.Silo.Observability;

/// <summary>
/// Serves the Orleans Dashboard of this silo from a small Kestrel web application of its own, so the silo host stays a
/// plain Generic Host. The dashboard's endpoints resolve their services (its client, assets, log stream) from the silo's
/// container, into which <c>AddDashboard</c> registered them.
/// </summary>
internal sealed class DashboardWebHost(IServiceProvider silo, DashboardServiceTypes dashboardServices, IOptions<DashboardSettings> settings,
    ILogger<DashboardWebHost> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? web;

    /// <summary>Where the UI listens once started, e.g. <c>http://127.0.0.1:8080/</c>.</summary>
    public string? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = settings.Value;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(options.Address), options.Port));
        builder.Services.AddRouting();
        builder.Services.AddSingleton<IHostLifetime, DetachedLifetime>();
        foreach (var type in dashboardServices.Types)
            builder.Services.AddSingleton(type, _ => silo.GetRequiredService(type));
        builder.Services.AddSingleton(silo.GetRequiredService<IOptions<DashboardOptions>>());
        web = builder.Build();
        web.MapOrleansDashboard();
        await web.StartAsync(cancellationToken);
        Address = $"http://{new IPEndPoint(IPAddress.Parse(options.Address), options.Port)}/";
        logger.LogInformation("Orleans Dashboard at {Address} (no authentication: keep it on loopback or behind an authenticating proxy)", Address);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (web is not null) await web.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (web is not null) await web.DisposeAsync();
    }
}
