using Microsoft.EntityFrameworkCore;
using NewsApi.Tests.Infrastructure;
using Npgsql;

namespace NewsApi.Tests.Operations;

/// <summary>How the built service starts, or refuses to, as a deployment runs it: a real process.</summary>
[Collection(ApiCollection.Name)]
public sealed class ServiceStartTests(ApiFixture fixture)
{
    [Fact]
    public async Task Without_a_connection_string_in_production_the_service_stops_with_one_line_naming_the_setting()
    {
        var (exitCode, output) = await ServiceProcess.RunAsync(new() { ["ASPNETCORE_ENVIRONMENT"] = "Production" });

        Assert.Equal(1, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines, l => l.Contains("ConnectionStrings:NewsDb", StringComparison.Ordinal));
        Assert.Contains("ConnectionStrings__NewsDb", line);
        Assert.DoesNotContain("Exception", output);
        Assert.DoesNotContain(lines, l => l.StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain("PostgreSQL on 127.0.0.1", output); // nothing was started in its place
    }

    [Fact]
    public async Task Without_a_cursor_key_in_production_the_service_stops_with_one_line_naming_the_setting()
    {
        var (exitCode, output) = await ServiceProcess.RunAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__NewsDb"] = fixture.ConnectionString,
        });

        Assert.Equal(1, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Single(lines, l => l.Contains("Paging:CursorKey is required", StringComparison.Ordinal));
        Assert.DoesNotContain("Exception", output);
        Assert.DoesNotContain(lines, l => l.StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Migrate_only_applies_every_migration_to_an_empty_database_and_exits_without_serving()
    {
        var database = $"newsapi_migrate_only_{Guid.NewGuid():N}";
        var connectionString = await TestDatabase.CreateDatabase(fixture.ConnectionString, database);
        try
        {
            await MigrateOnly(connectionString);
        }
        finally
        {
            await using var server = new NpgsqlConnection(fixture.ConnectionString);
            await server.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE \"{database}\" WITH (FORCE)", server);
            await drop.ExecuteNonQueryAsync();
        }
    }

    async Task MigrateOnly(string connectionString)
    {
        var (exitCode, output) = await ServiceProcess.RunAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__NewsDb"] = connectionString,
            ["Database__MigrateOnStart"] = "false", // the switch migrates whatever the start-up setting says
        }, "--migrate-only");

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("Now listening", output);
        await using var db = fixture.NewDbContext();
        var expected = db.Database.GetMigrations().ToList();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var applied = new NpgsqlCommand("SELECT migration_id FROM \"__EFMigrationsHistory\" ORDER BY migration_id", connection);
        var ids = new List<string>();
        await using (var reader = await applied.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                ids.Add(reader.GetString(0));
        Assert.Equal(expected, ids);
        Assert.NotEmpty(ids);
    }
}

/// <summary>Where migrations are a deploy step that has not run yet, the service starts and says it is not ready.</summary>
[Collection(ApiCollection.Name)]
public sealed class UnmigratedStartTests(ApiFixture fixture)
{
    [Fact]
    public async Task Without_its_migrations_the_service_starts_and_answers_not_ready()
    {
        var database = $"newsapi_unmigrated_{Guid.NewGuid():N}";
        var connectionString = await TestDatabase.CreateDatabase(fixture.ConnectionString, database);
        try
        {
            await using (var host = new ApiFactory(connectionString, fixture.Clock,
                             settings: new() { ["Database:MigrateOnStart"] = "false", ["Scheduler:Enabled"] = "false" }))
            {
                host.StartServer();
                using var client = host.CreateHttpClient();
                var ready = await client.GetAsync("/health/ready");
                Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            }
        }
        finally
        {
            await using var server = new NpgsqlConnection(fixture.ConnectionString);
            await server.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE \"{database}\" WITH (FORCE)", server);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
