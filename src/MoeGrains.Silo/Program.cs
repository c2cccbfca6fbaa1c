using Microsoft.Extensions.Hosting;
using MoeGrains.Silo.Hosting;

// Configuration: appsettings.json beside the binary, then environment variables (MoeGrains__Accelerator__ExpertSlots=4),
// then command-line arguments (--MoeGrains:Accelerator:ExpertSlots=4). Keys are listed in README.md.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.UseOrleans(silo => silo.UseMoeGrainsSilo(builder.Configuration));
await builder.Build().RunAsync();
