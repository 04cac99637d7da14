using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Time.Testing;
using NewsApi.Content;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Infrastructure.Requests;

namespace NewsApi.Tests.Content;

/// <summary>
/// An html block is cleaned by the house allowlist when written: what is stored and what readers get in bodyHtml
/// carry no form, no positioning, no link that can reach back to the page, and no iframe but a video player's.
/// </summary>
public sealed class NewsHtmlTests(ApiFixture fixture) : ApiTest(fixture)
{
    /// <summary>Writes the block in a story, publishes it and gives the stored block and the public bodyHtml.</summary>
    async Task<(string Stored, string Rendered)> Publish(string html, HttpClient? api = null, HttpClient? reader = null)
    {
        using var editor = await As(Role.Editor);
        var writer = api ?? editor;
        if (api is not null)
            writer.DefaultRequestHeaders.Authorization = editor.DefaultRequestHeaders.Authorization;
        var created = await (await writer.PostAsync("/api/v1/articles", JsonBody(new
        {
            title = "嵌入內容",
            body = new object[] { new { type = "html", html } },
        }))).Json(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        await (await writer.PostAsync($"/api/v1/articles/{id}/publish", null)).Json();
        var article = await (await (reader ?? Client).GetAsync($"/api/v1/articles/{id}")).Json();
        return ((string)article["body"]![0]!["html"]!, (string)article["bodyHtml"]!);
    }

    [Fact]
    public async Task Form_elements_are_removed()
    {
        var (stored, rendered) = await Publish(
            "<form action=\"https://phish.example/\"><input name=\"password\"><select><option>1</option></select>" +
            "<textarea>留言</textarea><button>登入</button></form><p>正文</p>");

        foreach (var html in new[] { stored, rendered })
        {
            foreach (var tag in new[] { "<form", "<input", "<select", "<option", "<textarea", "<button" })
                Assert.DoesNotContain(tag, html);
            Assert.Contains("<p>正文</p>", html);
        }
    }

    [Fact]
    public async Task Positioning_and_layout_styles_are_removed_and_text_styles_kept()
    {
        var (stored, rendered) = await Publish(
            "<p style=\"position: fixed; top: 0; left: 0; right: 0; bottom: 0; z-index: 9999; float: left; font-weight: bold\">請重新登入</p>");

        foreach (var html in new[] { stored, rendered })
        {
            foreach (var property in new[] { "position", "top", "left", "right", "bottom", "z-index", "float" })
                Assert.DoesNotContain(property, html);
            Assert.Contains("<p style=\"font-weight: bold\">請重新登入</p>", html);
        }
    }

    [Theory]
    [InlineData("<a href=\"https://www.chinanews.com.cn/\">中新網</a>", "<a href=\"https://www.chinanews.com.cn/\" rel=\"noopener nofollow\">中新網</a>")]
    [InlineData("<a href=\"https://www.chinanews.com.cn/\" rel=\"opener noreferrer bogus\" target=\"_top\">中新網</a>",
        "<a href=\"https://www.chinanews.com.cn/\" rel=\"noopener nofollow noreferrer\">中新網</a>")]
    [InlineData("<a href=\"https://www.chinanews.com.cn/\" rel=\"nofollow\" target=\"_blank\">中新網</a>",
        "<a href=\"https://www.chinanews.com.cn/\" rel=\"noopener nofollow\" target=\"_blank\">中新網</a>")]
    public async Task Every_link_gets_noopener_nofollow_keeping_known_link_types(string html, string expected)
    {
        var (stored, rendered) = await Publish(html);

        Assert.Equal(expected, stored);
        Assert.Contains(expected, rendered);
    }

    [Theory]
    [InlineData("https://www.youtube.com/embed/dQw4w9WgXcQ", true)]
    [InlineData("https://player.vimeo.com/video/76979871", true)]
    [InlineData("https://evil.example/embed/x", false)]
    [InlineData("https://www.youtube.com.evil.example/embed/x", false)]
    [InlineData("http://www.youtube.com/embed/dQw4w9WgXcQ", false)]
    [InlineData("https://www.youtube.com:8443/embed/dQw4w9WgXcQ", false)]
    [InlineData("//www.youtube.com/embed/dQw4w9WgXcQ", false)]
    [InlineData("/embed/local", false)]
    public async Task Iframes_are_kept_only_from_the_video_hosts(string src, bool kept)
    {
        var (stored, rendered) = await Publish($"<p>影片</p><iframe src=\"{src}\" width=\"560\" height=\"315\" allowfullscreen></iframe>");

        foreach (var html in new[] { stored, rendered })
        {
            Assert.Equal(kept, html.Contains("<iframe", StringComparison.Ordinal));
            Assert.Contains("<p>影片</p>", html);
        }
    }

    [Fact]
    public async Task The_video_hosts_come_from_configuration()
    {
        await using var site = Fixture.Factory.WithWebHostBuilder(b => b.UseSetting("Html:IframeHosts:0", "video.example.org"));
        using var api = site.CreateClient();
        using var reader = site.CreateClient();

        var (own, _) = await Publish("<iframe src=\"https://video.example.org/embed/1\"></iframe>", api, reader);
        var (youtube, _) = await Publish("<iframe src=\"https://www.youtube.com/embed/1\"></iframe>", api, reader);

        Assert.Contains("<iframe src=\"https://video.example.org/embed/1\"></iframe>", own);
        Assert.DoesNotContain("<iframe", youtube);
    }

    [Fact]
    public async Task One_blank_video_host_allows_no_iframe()
    {
        await using var site = Fixture.Factory.WithWebHostBuilder(b => b.UseSetting("Html:IframeHosts:0", ""));
        using var api = site.CreateClient();
        using var reader = site.CreateClient();

        var (stored, _) = await Publish("<p>影片</p><iframe src=\"https://www.youtube.com/embed/1\"></iframe>", api, reader);

        Assert.Equal("<p>影片</p>", stored);
    }

    [Fact]
    public void The_defaults_allow_the_players_of_youtube_vimeo_bilibili_weibo_x_and_instagram()
    {
        var defaults = new HtmlOptions();

        Assert.True(new HtmlOptions.Validator().Validate(null, defaults).Succeeded);
        Assert.Equal(["www.youtube.com", "www.youtube-nocookie.com", "player.vimeo.com", "player.bilibili.com", "video.weibo.com",
            "platform.twitter.com", "www.instagram.com"], defaults.Hosts);
    }

    [Theory]
    [InlineData("https://www.youtube.com")]
    [InlineData("www.youtube.com/embed")]
    [InlineData("*.vimeo.com")]
    [InlineData("player.vimeo.com:443")]
    [InlineData("player.vimeo.com/")]
    public void A_video_host_that_is_not_a_host_name_is_refused_naming_the_key(string host)
    {
        var result = new HtmlOptions.Validator().Validate(null, new HtmlOptions { IframeHosts = [host] });

        Assert.True(result.Failed);
        Assert.Contains("Html:IframeHosts", result.FailureMessage);
    }

    [Fact]
    public async Task A_bad_video_host_stops_the_service_at_start()
    {
        await using var broken = new ApiFactory(Fixture.ConnectionString, new FakeTimeProvider(ApiFixture.Now), settings: new() { ["Html:IframeHosts:0"] = "https://www.youtube.com" });

        Assert.Contains("Html:IframeHosts", broken.StartRefusal());
    }
}
