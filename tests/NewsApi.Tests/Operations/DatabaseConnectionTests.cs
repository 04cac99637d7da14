using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsApi.Data;
using NewsApi.Tests.Infrastructure;
using Npgsql;

namespace NewsApi.Tests.Operations;

/// <summary>What the service adds to the configured connection string, and what it leaves to the operator.</summary>
[Collection(ApiCollection.Name)]
public sealed class DatabaseConnectionTests(ApiFixture fixture)
{
    [Fact]
    public void Statements_are_prepared_per_connection_and_the_JIT_is_off()
    {
        var settings = Settings(fixture.Factory);

        Assert.Equal(100, settings.MaxAutoPrepare);
        Assert.Contains("-c jit=off", settings.Options);
        Assert.True(settings.NoResetOnClose);
    }

    [Fact]
    public void A_connection_string_that_sets_auto_preparation_keeps_its_own_value()
    {
        var configured = new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { MaxAutoPrepare = 7 }.ConnectionString;

        Assert.Equal(7, new NpgsqlConnectionStringBuilder(DatabaseSetup.ServiceConnectionString(configured)).MaxAutoPrepare);
    }

    [Fact]
    public void A_connection_string_that_asks_for_the_session_reset_keeps_it()
    {
        var configured = new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { NoResetOnClose = false }.ConnectionString;

        Assert.False(new NpgsqlConnectionStringBuilder(DatabaseSetup.ServiceConnectionString(configured)).NoResetOnClose);
    }

    static NpgsqlConnectionStringBuilder Settings(ApiFactory factory)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        return new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
    }
}
