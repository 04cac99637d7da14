using System.Net;
using System.Text.Json.Nodes;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Features.Assets.TestImages;
using static NewsApi.Tests.Infrastructure.Requests;
using Role = NewsApi.Data.Entities.Role;

namespace NewsApi.Tests.Features.Assets;

/// <summary>GET /api/v1/assets: newest first, keyset-paged, q finding Chinese text inside a caption or a credit.</summary>
public sealed class ListAssetsTests(ApiFixture fixture) : ApiTest(fixture)
{
    async Task<string> Uploaded(HttpClient editor, int width, object metadata)
    {
        var created = await editor.PostAsync("/api/v1/assets", Body(Jpeg(width, 40)));
        var id = (string)(await created.Json(HttpStatusCode.Created))["id"]!;
        await (await editor.Send(HttpMethod.Patch, $"/api/v1/assets/{id}", JsonBody(metadata), created.ETag())).Json();
        return id;
    }

    static List<string> Ids(JsonNode page) => page["items"]!.AsArray().Select(a => (string)a!["id"]!).ToList();

    [Fact]
    public async Task Q_finds_chinese_text_inside_a_caption_or_a_credit_and_nothing_else()
    {
        using var editor = await As(Role.Editor);
        var summit = await Uploaded(editor, 60, new { caption = "第十屆世界互聯網大會在浙江烏鎮開幕", credit = "中新社記者 張亨偉 攝" });
        var lake = await Uploaded(editor, 61, new { caption = "杭州西湖秋色", credit = "新華社" });
        var night = await Uploaded(editor, 62, new { caption = "夜色中的古鎮", credit = "烏鎮旅遊 供圖" });

        Assert.Equal([night, summit], Ids(await (await editor.GetAsync("/api/v1/assets?q=烏鎮")).Json())); // the newest first
        Assert.Equal([summit], Ids(await (await editor.GetAsync("/api/v1/assets?q=張亨偉")).Json()));
        Assert.Equal([lake], Ids(await (await editor.GetAsync("/api/v1/assets?q=%20西湖%20")).Json())); // trimmed
        Assert.Empty(Ids(await (await editor.GetAsync("/api/v1/assets?q=上海")).Json()));
        Assert.Empty(Ids(await (await editor.GetAsync("/api/v1/assets?q=%25")).Json())); // % is a character, not a wildcard
        Assert.Empty(Ids(await (await editor.GetAsync("/api/v1/assets?q=_")).Json()));
        Assert.Equal(3, Ids(await (await editor.GetAsync("/api/v1/assets")).Json()).Count);
    }

    [Fact]
    public async Task Q_finds_a_caption_or_credit_written_in_the_other_script_as_the_article_search_does()
    {
        using var editor = await As(Role.Editor);
        var traditional = await Uploaded(editor, 63, new { caption = "第十屆世界互聯網大會在浙江烏鎮開幕", credit = "中新社記者 張亨偉 攝" });
        var simplified = await Uploaded(editor, 64, new { caption = "乌镇夜色", credit = "Xinhua 新华社" });

        Assert.Equal([simplified, traditional], Ids(await (await editor.GetAsync("/api/v1/assets?q=乌镇")).Json()));
        Assert.Equal([simplified, traditional], Ids(await (await editor.GetAsync("/api/v1/assets?q=烏鎮")).Json()));
        Assert.Equal([traditional], Ids(await (await editor.GetAsync("/api/v1/assets?q=张亨伟")).Json()));
        Assert.Equal([simplified], Ids(await (await editor.GetAsync("/api/v1/assets?q=新華社")).Json()));
        Assert.Equal([simplified], Ids(await (await editor.GetAsync("/api/v1/assets?q=xinhua")).Json())); // case, as before
        Assert.Empty(Ids(await (await editor.GetAsync("/api/v1/assets?q=烏鎮開幕式")).Json()));
        Assert.Empty(Ids(await (await editor.GetAsync("/api/v1/assets?q=.*")).Json())); // characters, not a pattern
    }

    [Fact]
    public async Task Q_finds_each_match_once_across_keyset_pages_newest_first()
    {
        using var editor = await As(Role.Editor);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
            ids.Add(await Uploaded(editor, 70 + i, new { caption = $"烏鎮 第{i}張", credit = "中新社" }));
        await Uploaded(editor, 80, new { caption = "杭州", credit = "新華社" });

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var response = await editor.GetAsync($"/api/v1/assets?q=烏鎮&limit=2{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            var page = await response.Json();
            cursor = (string?)page["nextCursor"];
            Assert.Equal(cursor is not null, response.Headers.Contains("Link"));
            Assert.True(Ids(page).Count <= 2);
            seen.AddRange(Ids(page));
            pages++;
        } while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(ids.Order(StringComparer.Ordinal).Reverse(), seen); // UUIDv7 ids: the newest first
    }

    [Fact]
    public async Task The_list_is_for_keys_and_refuses_a_q_too_long_or_a_cursor_it_did_not_give()
    {
        using var previewer = await As(Role.Previewer);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.GetAsync("/api/v1/assets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await previewer.GetAsync("/api/v1/assets?q=烏鎮")).StatusCode);
        await (await previewer.GetAsync($"/api/v1/assets?q={new string('鎮', 201)}")).Invalid("q");
        await (await previewer.GetAsync("/api/v1/assets?cursor=made-up")).Invalid("cursor");
    }
}
