using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.Health;

public sealed class HealthTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Live_answers_without_checking_the_database()
    {
        var live = await (await Client.GetAsync("/health/live")).Json();

        Assert.Equal("healthy", (string?)live["status"]);
        Assert.Empty(live["checks"]!.AsObject());
    }

    [Fact]
    public async Task Ready_checks_the_database_and_its_migrations()
    {
        var ready = await (await Client.GetAsync("/health/ready")).Json();

        Assert.Equal("healthy", (string?)ready["checks"]!["database"]);
        Assert.Equal("healthy", (string?)ready["checks"]!["migrations"]);
    }
}
