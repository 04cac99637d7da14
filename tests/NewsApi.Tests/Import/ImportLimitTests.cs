using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Import.ImportTestData;

namespace NewsApi.Tests.Import;

/// <summary>The service started a second time with small limits, on the same database.</summary>
public sealed class SmallLimitsApp : IAsyncLifetime
{
    public ApiFactory? Factory { get; private set; }

    public Task InitializeAsync() => Task.CompletedTask;

    public ApiFactory Start(ApiFixture fixture)
    {
        if (Factory is null)
        {
            Factory = new ApiFactory(fixture.ConnectionString, fixture.Clock, settings: new()
            {
                ["Import:MaxItemBytes"] = "2048", ["Import:MaxRequestBytes"] = "8192", ["Import:MaxItems"] = "3", ["Import:BatchSize"] = "10",
            });
            Factory.StartServer();
        }
        return Factory;
    }

    public async Task DisposeAsync()
    {
        if (Factory is not null)
            await Factory.DisposeAsync();
    }
}

public sealed class ImportLimitTests(ApiFixture fixture, SmallLimitsApp app) : ApiTest(fixture), IClassFixture<SmallLimitsApp>
{
    async Task<HttpClient> Editor()
    {
        var client = app.Start(Fixture).CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await Given.Key(Role.Editor));
        return client;
    }

    [Fact]
    public async Task A_request_over_max_request_bytes_is_413_naming_the_limit_before_anything_is_read()
    {
        using var editor = await Editor();
        var big = string.Concat(Enumerable.Repeat(Ndjson(Story("big", text: new string('字', 500))), 10));

        var (response, _, _) = await editor.Import(Body(big), expected: HttpStatusCode.RequestEntityTooLarge);

        var problem = await response.Problem(HttpStatusCode.RequestEntityTooLarge, ProblemTypes.PayloadTooLarge);
        Assert.Equal("Import:MaxRequestBytes", (string?)problem["limit"]);
        Assert.Equal(8192, (long?)problem["max"]);
        await using var db = Fixture.NewDbContext();
        Assert.Equal(0, await db.Articles.CountAsync());
    }

    [Fact]
    public async Task A_chunked_body_over_max_request_bytes_is_413_too()
    {
        using var editor = await Editor();
        var big = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(Ndjson(Story("big", text: new string('字', 400))), 10)));

        var (response, _, _) = await editor.Import(new StreamContent(new NoLengthStream(big)) { Headers = { ContentType = new("application/x-ndjson") } },
            expected: HttpStatusCode.RequestEntityTooLarge);

        await response.Problem(HttpStatusCode.RequestEntityTooLarge, ProblemTypes.PayloadTooLarge);
    }

    [Fact]
    public async Task More_items_than_max_items_is_413_naming_the_limit()
    {
        using var editor = await Editor();

        var (response, _, _) = await editor.Import(Body(Ndjson(Story("1"), Story("2"), Story("3"), Story("4"))), expected: HttpStatusCode.RequestEntityTooLarge);

        var problem = await response.Problem(HttpStatusCode.RequestEntityTooLarge, ProblemTypes.PayloadTooLarge);
        Assert.Equal("Import:MaxItems", (string?)problem["limit"]);
    }

    [Fact]
    public async Task An_item_over_max_item_bytes_is_that_line_invalid_and_the_others_go_ahead()
    {
        using var editor = await Editor();

        var (_, results, _) = await editor.Import(Body(Ndjson(Story("small"), Story("huge", text: new string('字', 1000)), Story("small-2"))));

        Assert.Equal(["created", "invalid", "created"], results.Select(r => r.Outcome()));
        Assert.Contains("Import:MaxItemBytes", results[1]["errors"]!["line"]![0]!.ToString());
    }

    [Fact]
    public async Task A_json_array_element_over_max_item_bytes_is_that_item_invalid_and_the_others_go_ahead()
    {
        using var editor = await Editor();
        var array = "[" + Ndjson(Story("small"), Story("huge", text: new string('字', 1000)), Story("small-2")).TrimEnd('\n').Replace("\n", ",\n") + "]";

        var (_, results, summary) = await editor.Import(Body(array, "application/json"));

        Assert.Equal(["created", "invalid", "created"], results.Select(r => r.Outcome()));
        Assert.Equal([1, 2, 3], results.Select(r => (int)r["line"]!));
        Assert.Contains("Import:MaxItemBytes", results[1]["errors"]!["line"]![0]!.ToString());
        Assert.Equal(3, (int)summary!["total"]!);
    }

    [Fact]
    public async Task A_wire_story_over_max_item_bytes_is_413()
    {
        using var editor = await Editor();

        var (response, _, _) = await editor.Import(Body(new string('字', 1000), "text/plain"), expected: HttpStatusCode.RequestEntityTooLarge);

        var problem = await response.Problem(HttpStatusCode.RequestEntityTooLarge, ProblemTypes.PayloadTooLarge);
        Assert.Equal("Import:MaxItemBytes", (string?)problem["limit"]);
    }

    /// <summary>A body whose length the client does not know, so it is sent chunked.</summary>
    sealed class NoLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
