using System.Net;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MoeGrains.Silo.Hosting;

/// <summary>
/// Answers Kubernetes probes: <c>/healthz/live</c> is 200 unless the cluster declared this silo dead; <c>/healthz/ready</c> is
/// 200 while the silo is an active member and not draining, else 503. The body is the silo status in plain text.
/// </summary>
internal sealed class HealthEndpoint(SiloHealth health, IOptions<HealthEndpointOptions> options, ILogger<HealthEndpoint> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Port == 0) return;
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://{settings.Address}:{settings.Port}/healthz/");
        listener.Start();
        logger.LogInformation("Health endpoint on http://{Address}:{Port}/healthz/{{live,ready}}", settings.Address, settings.Port);
        using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            Answer(context);
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var path = context.Request.Url?.AbsolutePath.TrimEnd('/') ?? string.Empty;
        var (ok, found) = path switch
        {
            "/healthz/live" => (health.IsAlive, true),
            "/healthz/ready" => (health.IsReady, true),
            _ => (false, false),
        };
        var body = found ? $"{health.Status}{(health.IsDraining ? " draining" : "")}" : "unknown path; use /healthz/live or /healthz/ready";
        context.Response.StatusCode = !found ? 404 : ok ? 200 : 503;
        context.Response.ContentType = "text/plain";
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.OutputStream.Write(bytes);
        context.Response.Close();
    }
}
