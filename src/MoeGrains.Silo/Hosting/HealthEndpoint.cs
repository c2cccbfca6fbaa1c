using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MoeGrains.Silo.Hosting;

/// <summary>
/// Answers Kubernetes probes: <c>/healthz/live</c> is 200 unless the cluster declared this silo dead; <c>/healthz/ready</c> is
/// 200 while the silo is an active member and not draining, else 503. The body is the silo status in plain text.
/// </summary>
/// <remarks>
/// Runs with the silo's lifecycle from <see cref="ServiceLifecycleStage.RuntimeInitialize"/>, so it starts before the silo joins
/// and stops only after the drain and the silo's own shutdown stages: probes keep answering (not ready) while the silo drains
/// (<see cref="Grains.Cluster.ISiloDrain"/>, run by the grains' shutdown drain).
/// </remarks>
internal sealed class HealthEndpoint(SiloHealth health, IOptions<HealthEndpointOptions> options, ILogger<HealthEndpoint> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private HttpListener? listener;
    private Task? serving;

    public void Participate(ISiloLifecycle lifecycle)
    {
        lifecycle.Subscribe(nameof(HealthEndpoint), ServiceLifecycleStage.RuntimeInitialize, StartAsync, StopAsync);
        // Stages stop from the highest down: this runs before the shutdown drains at Active, so readiness fails while they run.
        lifecycle.Subscribe($"{nameof(HealthEndpoint)}.Draining", ServiceLifecycleStage.Active + 1, _ => Task.CompletedTask, _ =>
        {
            health.MarkDraining();
            return Task.CompletedTask;
        });
    }

    private Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Port == 0) return Task.CompletedTask;
        listener = new HttpListener();
        listener.Prefixes.Add($"http://{settings.Address}:{settings.Port}/healthz/");
        listener.Start();
        logger.LogInformation("Health endpoint on http://{Address}:{Port}/healthz/{{live,ready}}", settings.Address, settings.Port);
        serving = ServeAsync(listener);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        if (listener is null) return;
        listener.Stop();
        listener.Close();
        if (serving is not null) await serving;
    }

    private async Task ServeAsync(HttpListener running)
    {
        while (running.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await running.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
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
        context.Response.OutputStream.Write(Encoding.UTF8.GetBytes(body));
        context.Response.Close();
    }
}
