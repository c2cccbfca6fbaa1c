using Microsoft.Extensions.Hosting;
using MoeGrains.Silo.Hosting;

// Configuration: appsettings.json beside the binary, then environment variables (MoeGrains__Accelerator__ExpertSlots=4),
// then command-line arguments (--MoeGrains:Accelerator:ExpertSlots=4). Keys are listed in README.md.
// MOE_TORCH_THREADS caps torch's CPU threads, as for the moe command (silos started side by side on a small machine).
if (int.TryParse(Environment.GetEnvironmentVariable("MOE_TORCH_THREADS"), out var threads) && threads > 0)
    TorchSharp.torch.set_num_threads(threads);
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.UseOrleans(silo => silo.UseMoeGrainsSilo(builder.Configuration));
await builder.Build().RunAsync();
