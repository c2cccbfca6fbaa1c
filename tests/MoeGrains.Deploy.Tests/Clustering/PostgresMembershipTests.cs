using MoeGrains.Testing;
using Npgsql;

namespace MoeGrains.Deploy.Tests.Clustering;

/// <summary>MoeGrains:Silo:Clustering=AdoNet (Npgsql) against a real PostgreSQL with deploy/postgres/orleans-clustering.sql installed.</summary>
public sealed class PostgresMembershipTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly string checkpoints = Directory.CreateTempSubdirectory("moe-pg-ckpt-").FullName;

    [Fact]
    public async Task Two_silos_join_through_postgresql_and_train()
    {
        var clusterId = $"pg{Guid.NewGuid():N}"[..16];
        await using var silos = await MembershipStoreCluster.TrainThroughAsync("AdoNet", postgres.ConnectionString, clusterId, checkpoints);

        // Both silos are active rows of the cluster's membership table, and every write bumped its version.
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var rows = new NpgsqlCommand("SELECT Port, Status FROM OrleansMembershipTable WHERE DeploymentId = @id", connection);
        rows.Parameters.AddWithValue("id", clusterId);
        var active = new List<int>();
        await using (var reader = await rows.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                if (reader.GetInt32(1) == 3) active.Add(reader.GetInt32(0));
        Assert.Contains(silos.Silos[0].SiloPort, active);
        Assert.Contains(silos.Silos[1].SiloPort, active);
        await using var version = new NpgsqlCommand("SELECT Version FROM OrleansMembershipVersionTable WHERE DeploymentId = @id", connection);
        version.Parameters.AddWithValue("id", clusterId);
        Assert.True((int)(await version.ExecuteScalarAsync())! >= 4, "two silos joining take at least two inserts and two status updates");
    }

    public void Dispose() => Directory.Delete(checkpoints, recursive: true);
}
