using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MoeGrains.Diagnostics;
using MoeGrains.Silo.Hosting;
using MoeGrains.Silo.Observability;
using MoeGrains.Testing;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace MoeGrains.Cluster.Tests.Observability;

/// <summary>
/// The silo host's telemetry and dashboard settings (<c>UseMoeGrainsSilo</c>, as <c>moe-silo</c> runs it): real silos on
/// free loopback ports, scraped and browsed over HTTP.
/// </summary>
public sealed class SiloObservabilityTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("moe-observability-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Prometheus_endpoint_serves_moegrains_and_orleans_metrics_on_loopback_only()
    {
        var port = FreePorts.Take(1)[0];
        await using var host = await StartAsync(new()
        {
            ["MoeGrains:Telemetry:Prometheus:Enabled"] = "true",
            ["MoeGrains:Telemetry:Prometheus:Port"] = port.ToString(),
        });
        MoeMetrics.RecordTrainingStep("prometheus-probe", tokens: 128, seconds: 0.5, loss: 2.5);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var text = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");

        Assert.Contains("moegrains_training_tokens", text);
        Assert.Contains("model=\"prometheus-probe\"", text);
        Assert.Contains("orleans_", text); // Orleans' own meter, Microsoft.Orleans
        var outside = NonLoopbackAddress();
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync($"http://{outside}:{port}/metrics"));
    }

    [Fact]
    public async Task Grain_calls_continue_the_callers_trace()
    {
        await using var host = await StartAsync([]);
        var activities = new System.Collections.Concurrent.ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) || source.Name == "moe-test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("moe-test");

        ActivityTraceId traceId;
        using (var caller = source.StartActivity("caller")!)
        {
            traceId = caller.TraceId;
            await host.Services.GetRequiredService<IGrainFactory>().GetGrain<Abstractions.Models.IModelRegistryGrain>(Abstractions.Models.IModelRegistryGrain.Key).ListAsync();
        }

        // The outgoing call (client side) and the grain's incoming call (silo side, from the propagated headers) join the caller's trace.
        var calls = activities.Where(a => a.Source.Name == Orleans.Diagnostics.ActivitySources.ApplicationGrainActivitySourceName && a.TraceId == traceId).ToList();
        Assert.Contains(calls, a => a.Kind == ActivityKind.Client);
        Assert.Contains(calls, a => a.Kind == ActivityKind.Server);
    }

    [Fact]
    public async Task Otlp_exporter_pushes_moegrains_metrics_to_the_collector()
    {
        var port = FreePorts.Take(1)[0];
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        await using var host = await StartAsync(new()
        {
            ["MoeGrains:Telemetry:Otlp:Endpoint"] = $"http://127.0.0.1:{port}",
            ["MoeGrains:Telemetry:Otlp:Protocol"] = "HttpProtobuf",
            ["MoeGrains:Telemetry:ExportInterval"] = "00:00:01",
        });
        MoeMetrics.RecordTrainingStep("otlp-probe", tokens: 64, seconds: 0.5, loss: 2.0);

        // OTLP/HTTP posts protobuf; names and attribute values are UTF-8 strings inside it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var seen = new List<string>();
        while (DateTime.UtcNow < deadline)
        {
            var next = collector.GetContextAsync();
            if (await Task.WhenAny(next, Task.Delay(deadline - DateTime.UtcNow)) != next) break;
            var context = await next;
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            context.Response.StatusCode = 200;
            context.Response.Close();
            seen.Add($"{context.Request.HttpMethod} {context.Request.Url!.AbsolutePath} {context.Request.ContentType}");
            var text = System.Text.Encoding.UTF8.GetString(body.ToArray());
            if (context.Request.Url.AbsolutePath == "/v1/metrics" && text.Contains("moegrains.training.tokens") && text.Contains("otlp-probe"))
            {
                Assert.Equal("application/x-protobuf", context.Request.ContentType);
                return;
            }
        }
        Assert.Fail($"no OTLP metrics export with moegrains.training.tokens for otlp-probe in 30 s; requests: {string.Join("; ", seen)}");
    }

    [Fact]
    public async Task Dashboard_switch_serves_the_dashboard_on_loopback_and_it_is_off_by_default()
    {
        var port = FreePorts.Take(1)[0];
        var args = SiloSwitches.Translate(["--dashboard", $"--MoeGrains:Dashboard:Port={port}"]);
        Assert.Equal("--MoeGrains:Dashboard:Enabled=true", args[0]);
        await using (var host = await StartAsync([], args))
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            var page = await http.GetAsync($"http://127.0.0.1:{port}/");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
            Assert.Contains("version", await http.GetStringAsync($"http://127.0.0.1:{port}/version"));
            // The API reaches the silo's dashboard grains through the forwarded services.
            var counters = await http.GetAsync($"http://127.0.0.1:{port}/DashboardCounters");
            Assert.Equal(HttpStatusCode.OK, counters.StatusCode);
            Assert.StartsWith("{", await counters.Content.ReadAsStringAsync());
            await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync($"http://{NonLoopbackAddress()}:{port}/"));
        }

        var (defaults, services) = Build([]);
        using (defaults)
        {
            Assert.DoesNotContain(services, d => d.ServiceType.Assembly == typeof(Orleans.Dashboard.DashboardOptions).Assembly);
            Assert.DoesNotContain(services, d => d.ServiceType.Name == "DashboardWebHost");
            Assert.Null(defaults.Services.GetService<MeterProvider>()); // no exporter asked for, no OpenTelemetry pipeline
        }
    }

    [Fact]
    public void Every_telemetry_and_dashboard_key_is_bound()
    {
        var prometheusPort = FreePorts.Take(1)[0];
        var (host, _) = Build(new()
        {
            ["MoeGrains:Telemetry:ServiceName"] = "silo-7",
            ["MoeGrains:Telemetry:ExportInterval"] = "00:00:03",
            ["MoeGrains:Telemetry:Otlp:Endpoint"] = "http://127.0.0.1:4318",
            ["MoeGrains:Telemetry:Otlp:Protocol"] = "HttpProtobuf",
            ["MoeGrains:Telemetry:Prometheus:Enabled"] = "true",
            ["MoeGrains:Telemetry:Prometheus:Address"] = "127.0.0.2",
            ["MoeGrains:Telemetry:Prometheus:Port"] = prometheusPort.ToString(),
            ["MoeGrains:Telemetry:Prometheus:Path"] = "/scrape",
            ["MoeGrains:Telemetry:Console:Enabled"] = "true",
            ["MoeGrains:Dashboard:Enabled"] = "true",
            ["MoeGrains:Dashboard:Address"] = "127.0.0.2",
            ["MoeGrains:Dashboard:Port"] = "8181",
        });
        using var _ = host;
        var telemetry = host.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        Assert.Equal(("silo-7", TimeSpan.FromSeconds(3)), (telemetry.ServiceName, telemetry.ExportInterval));
        Assert.Equal(("http://127.0.0.1:4318", OtlpExportProtocol.HttpProtobuf), (telemetry.Otlp.Endpoint, telemetry.Otlp.Protocol));
        Assert.Equal(new Uri("http://127.0.0.1:4318/v1/metrics"), TelemetryPipelines.OtlpEndpoint(telemetry.Otlp, "metrics"));
        Assert.Equal((true, "127.0.0.2", prometheusPort, "/scrape"),
            (telemetry.Prometheus.Enabled, telemetry.Prometheus.Address, telemetry.Prometheus.Port, telemetry.Prometheus.Path));
        Assert.True(telemetry.Console.Enabled);
        var dashboard = host.Services.GetRequiredService<IOptions<DashboardSettings>>().Value;
        Assert.Equal((true, "127.0.0.2", 8181), (dashboard.Enabled, dashboard.Address, dashboard.Port));
        Assert.NotNull(host.Services.GetService<MeterProvider>()); // builds the pipeline: the listener starts
    }

    [Theory]
    [InlineData("MoeGrains:Telemetry:Prometheus:Port", "70000", "MoeGrains:Telemetry:Prometheus:Port=70000")]
    [InlineData("MoeGrains:Telemetry:Prometheus:Address", "localhost", "MoeGrains:Telemetry:Prometheus:Address='localhost' is not an IP address")]
    [InlineData("MoeGrains:Telemetry:Prometheus:Address", "0.0.0.0", "MoeGrains:Telemetry:Prometheus:Address='0.0.0.0': the scrape listener binds one address")]
    [InlineData("MoeGrains:Telemetry:Prometheus:Path", "metrics", "MoeGrains:Telemetry:Prometheus:Path='metrics' must start with '/'")]
    [InlineData("MoeGrains:Telemetry:Otlp:Endpoint", "collector:4317", "MoeGrains:Telemetry:Otlp:Endpoint='collector:4317' is not an http(s) URL")]
    [InlineData("MoeGrains:Telemetry:ExportInterval", "00:00:00", "MoeGrains:Telemetry:ExportInterval=00:00:00 but it must be positive")]
    [InlineData("MoeGrains:Dashboard:Address", "everywhere", "MoeGrains:Dashboard:Address='everywhere' is not an IP address")]
    [InlineData("MoeGrains:Dashboard:Port", "-1", "MoeGrains:Dashboard:Port=-1 but a port is 0")]
    public void Invalid_settings_are_refused_naming_the_key(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MoeGrains:Telemetry:Prometheus:Enabled"] = "true",
            ["MoeGrains:Dashboard:Enabled"] = "true",
            [key] = value,
        };
        var failure = Assert.Throws<OptionsValidationException>(() => Build(settings));
        Assert.Contains(expected, failure.Message);
    }

    private (IHost Host, IServiceCollection Services) Build(Dictionary<string, string?> settings, string[]? args = null)
    {
        var ports = FreePorts.Take(2);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MoeGrains:Silo:SiloPort"] = ports[0].ToString(),
            ["MoeGrains:Silo:GatewayPort"] = ports[1].ToString(),
            ["MoeGrains:Checkpoints:Kind"] = "Local",
            ["MoeGrains:Checkpoints:LocalRoot"] = Path.Combine(root, "store"),
        });
        builder.Configuration.AddInMemoryCollection(settings);
        if (args is not null) builder.Configuration.AddCommandLine(args);
        builder.UseOrleans(silo => silo.UseMoeGrainsSilo(builder.Configuration));
        return (builder.Build(), builder.Services);
    }

    private async Task<StartedHost> StartAsync(Dictionary<string, string?> settings, string[]? args = null)
    {
        var (host, _) = Build(settings, args);
        await host.StartAsync();
        return new StartedHost(host);
    }

    private sealed class StartedHost(IHost host) : IAsyncDisposable
    {
        public IServiceProvider Services => host.Services;

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync(TimeSpan.FromSeconds(10));
            host.Dispose();
        }
    }

    /// <summary>An IPv4 address of this machine that is not loopback: a listener bound to 127.0.0.1 must not answer there.</summary>
    private static IPAddress NonLoopbackAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? throw new InvalidOperationException("This machine has no non-loopback IPv4 address to check the loopback binding against.");
}
