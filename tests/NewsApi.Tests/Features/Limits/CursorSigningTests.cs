using System.Buffers.Text;
using System.Text.Json;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.Limits;

/// <summary>Cursors are signed with the list they came from: altered, cut, forged or borrowed ones are a 400 problem.</summary>
public sealed class CursorSigningTests(ApiFixture fixture) : ApiTest(fixture)
{
    async Task<string> FirstTagCursor()
    {
        foreach (var slug in new[] { "ai", "internet", "wuzhen" })
            await Given.Tag(slug, slug);
        return (string)(await (await Client.GetAsync("/api/v1/tags?limit=1")).Json())["nextCursor"]!;
    }

    [Fact]
    public async Task A_cursor_with_one_character_changed_is_a_400_problem()
    {
        var cursor = await FirstTagCursor();
        await (await Client.GetAsync($"/api/v1/tags?limit=1&cursor={cursor}")).Json();
        var middle = cursor.Length / 2;
        var tampered = cursor[..middle] + (cursor[middle] == 'A' ? 'B' : 'A') + cursor[(middle + 1)..];

        await (await Client.GetAsync($"/api/v1/tags?limit=1&cursor={tampered}")).Invalid("cursor");
    }

    [Fact]
    public async Task A_truncated_cursor_is_a_400_problem()
    {
        var cursor = await FirstTagCursor();

        await (await Client.GetAsync($"/api/v1/tags?limit=1&cursor={cursor[..^4]}")).Invalid("cursor");
    }

    [Fact]
    public async Task A_cursor_made_outside_the_service_is_a_400_problem_though_it_reads_well()
    {
        await FirstTagCursor();
        // What an unsigned cursor used to be: its JSON in base64url, naming any position the caller likes.
        var forged = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new { sort = "slug", id = Guid.NewGuid() }));

        await (await Client.GetAsync($"/api/v1/tags?limit=1&cursor={forged}")).Invalid("cursor");
    }

    [Fact]
    public async Task A_cursor_of_one_topic_cannot_page_another()
    {
        var articles = await Given.PublishedArticles(3);
        await Given.Topic("summit", "烏鎮峰會", TopicStatus.Published, articles.ToArray());
        await Given.Topic("expo", "博覽會", TopicStatus.Published, articles.ToArray());
        var cursor = (string)(await (await Client.GetAsync("/api/v1/topics/summit?limit=1")).Json())["articles"]!["nextCursor"]!;
        await (await Client.GetAsync($"/api/v1/topics/summit?limit=1&cursor={cursor}")).Json();

        await (await Client.GetAsync($"/api/v1/topics/expo?limit=1&cursor={cursor}")).Invalid("cursor");
        using var editor = await As(Role.Editor);
        await (await editor.GetAsync($"/api/v1/topics/expo?limit=1&cursor={cursor}")).Invalid("cursor");
    }

    [Fact]
    public async Task A_cursor_of_one_section_list_cannot_page_another()
    {
        var world = await Given.Section("world");
        var china = await Given.Section("china");
        await Given.PublishedArticles(3, world);
        await Given.PublishedArticles(3, china);
        var cursor = (string)(await (await Client.GetAsync("/api/v1/articles?section=world&limit=1")).Json())["nextCursor"]!;
        await (await Client.GetAsync($"/api/v1/articles?section=world&limit=1&cursor={cursor}")).Json();

        await (await Client.GetAsync($"/api/v1/articles?section=china&limit=1&cursor={cursor}")).Invalid("cursor");
        await (await Client.GetAsync($"/api/v1/articles?limit=1&cursor={cursor}")).Invalid("cursor");
    }

    [Fact]
    public async Task An_audit_cursor_is_signed_too()
    {
        using var admin = await As(Role.Admin);
        for (var i = 0; i < 3; i++)
            await admin.PostAsync("/api/v1/tags", Requests.JsonBody(new { name = $"tag {i}" }));
        var cursor = (string)(await (await admin.GetAsync("/api/v1/audit?limit=1")).Json())["nextCursor"]!;
        await (await admin.GetAsync($"/api/v1/audit?limit=1&cursor={cursor}")).Json();

        await (await admin.GetAsync("/api/v1/audit?limit=1&cursor=2")).Invalid("cursor");
        await (await admin.GetAsync($"/api/v1/audit?limit=1&actor=someone&cursor={cursor}")).Invalid("cursor");
    }

    // The start itself, as a process, is ServiceStartTests.Without_a_cursor_key_in_production_the_service_stops_with_one_line_naming_the_setting.
    [Fact]
    public void Outside_development_and_testing_a_missing_or_short_key_fails_validation_with_one_plain_message()
    {
        var production = new NewsApi.Api.PagingOptions.Validator(new Environment("Production"));
        var missing = production.Validate(null, new NewsApi.Api.PagingOptions());
        var shortKey = production.Validate(null, new NewsApi.Api.PagingOptions { CursorKey = Convert.ToBase64String(new byte[16]) });
        var good = production.Validate(null, new NewsApi.Api.PagingOptions { CursorKey = Convert.ToBase64String(new byte[32]) });
        var testing = new NewsApi.Api.PagingOptions.Validator(new Environment("Testing")).Validate(null, new NewsApi.Api.PagingOptions());

        Assert.True(missing.Failed);
        Assert.StartsWith("Paging:CursorKey is required", missing.FailureMessage);
        Assert.DoesNotContain('\n', missing.FailureMessage);
        Assert.True(shortKey.Failed);
        Assert.True(good.Succeeded);
        Assert.True(testing.Succeeded);
    }

    sealed class Environment(string name) : Microsoft.Extensions.Hosting.IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "NewsApi";
        public string ContentRootPath { get; set; } = "";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
