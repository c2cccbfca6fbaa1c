using MoeGrains.Testing;
using StackExchange.Redis;

namespace MoeGrains.Deploy.Tests.Clustering;

/// <summary>MoeGrains:Silo:Clustering=Redis against a real redis-server.</summary>
public sealed class RedisMembershipTests(RedisFixture redis) : IClassFixture<RedisFixture>, IDisposable
{
    private readonly string checkpoints = Directory.CreateTempSubdirectory("moe-redis-ckpt-").FullName;

    [Fact]
    public async Task Two_silos_join_through_redis_and_train()
    {
        var clusterId = $"redis{Guid.NewGuid():N}"[..16];
        await using var silos = await MembershipStoreCluster.TrainThroughAsync("Redis", redis.ConnectionString, clusterId, checkpoints);

        // The membership lives in Redis: the cluster's entry is there, naming both silos.
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var server = connection.GetServer(connection.GetEndPoints().Single());
        var keys = server.Keys(pattern: $"*{clusterId}*").ToList();
        Assert.NotEmpty(keys);
        var dump = string.Join("\n", keys.SelectMany(key => connection.GetDatabase().HashGetAll(key).Select(e => $"{e.Name}={e.Value}")));
        Assert.Contains($"127.0.0.1:{silos.Silos[0].SiloPort}", dump, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{silos.Silos[1].SiloPort}", dump, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(checkpoints, recursive: true);
}
