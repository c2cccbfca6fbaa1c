using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MoeGrains.Grains.Limits;

namespace MoeGrains.Grains.Routers;

public sealed partial class RouterGrain
{
    private RequestLimits? limits;

    /// <summary>The silo's request limits (<c>MoeGrains:Limits</c>; the defaults where a host registered none).</summary>
    private RequestLimits Limits => limits ??= new RequestLimits(
        ServiceProvider.GetService<IOptions<RequestLimitOptions>>()?.Value ?? new RequestLimitOptions());
}
