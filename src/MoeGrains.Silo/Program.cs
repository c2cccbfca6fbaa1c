using Microsoft.Extensions.Hosting;
using MoeGrains.Silo.Hosting;
using MoeGrains.Silo.Observability;

// Configuration: appsettings.json beside the binary, then environment variables (MoeGrains__Accelerator__ExpertSlots=4),
// then command-line arguments (--MoeGrains:Accelerator:ExpertSlots=4). Keys are listed in README.md.
// MOE_TORCH_THREADS caps torch's CPU threads (several silos or test processes sharing a machine).
if (int.TryParse(Environment.GetEnvironmentVariable("MOE_TORCH_THREADS"), out var threads) && threads > 0)
    TorchSharp.torch.set_num_threads(threads);
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = SiloSwitches.Translate(args), ContentRootPath = AppContext.BaseDirectory });
builder.UseOrleans(silo => silo.UseMoeGrainsSilo(builder.Configuration));
await builder.Build().RunAsync();
