using System.Text.Json.Nodes;
using Microsoft.Playwright;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NewsApi.Tests.Browser;

/// <summary>
/// A developer's first minutes, in a real browser: Swagger UI lists every operation group, takes an API key, and
/// "Try it out" works on the article list and on creating an article from the prefilled example. Debian's Chromium
/// is driven by Playwright's .NET driver, which ships in the NuGet package; no browser is ever downloaded.
/// </summary>
public sealed class SwaggerUiTests(ApiFixture fixture, ITestOutputHelper output) : ApiTest(fixture)
{
    static readonly string ChromiumPath = Environment.GetEnvironmentVariable("NEWSAPI_CHROMIUM") ?? "/usr/bin/chromium";

    /// <summary>Where the last run's screenshot is kept (TestResults/ is git-ignored).</summary>
    public static string ScreenshotPath => Path.Combine(
        NewsApi.Development.RepositoryRoot.Find(AppContext.BaseDirectory) ?? AppContext.BaseDirectory, "TestResults", "swagger-ui.png");

    [Fact]
    public async Task A_developer_authorises_and_tries_the_article_list_and_create_in_Swagger_UI()
    {
        Assert.True(File.Exists(ChromiumPath),
            $"Chromium not found at {ChromiumPath}. Install Debian's package: apt-get install chromium (.ci/run does this when it is missing).");
        var domestic = await Given.Section("domestic", "國內");
        await Given.Tag("wuzhen", "烏鎮");
        await Given.Author("zhang-yuhuan", "張煜歡");
        await Given.Article("wuzhen-summit-why-wuzhen").Titled("心向“網”之:為何是烏鎮?").In(domestic).Save();
        var key = await Given.Key(Role.Editor, "swagger-ui");
        var tags = (await (await Client.GetAsync("/swagger/v1/swagger.json")).Json())["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().SelectMany(o => o.Value!["tags"]!.AsArray().Select(t => (string)t!)))
            .Distinct().ToList();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root in CI needs --no-sandbox; the rest keep Chromium off the (closed) network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(20_000);
        // Chromium reports whatever the page's Content-Security-Policy blocked on the console.
        var blocked = new List<string>();
        page.Console += (_, message) => { if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal)) blocked.Add(message.Text); };
        try
        {
            var opened = await page.GotoAsync(new Uri(Fixture.Factory.Address, "/swagger").ToString());
            Assert.Equal(NewsApi.Api.SecurityHeaders.SwaggerPolicy, await opened!.HeaderValueAsync("content-security-policy"));

            // Every operation group of the document is on the page.
            await Assertions.Expect(page.Locator(".opblock-tag-section").First).ToBeVisibleAsync();
            foreach (var tag in tags)
                await Assertions.Expect(page.Locator($"h3.opblock-tag[data-tag='{tag}']")).ToBeVisibleAsync();

            // Authorize with the key (the bearer scheme), then close the dialog.
            await page.Locator("button.btn.authorize").First.ClickAsync();
            await page.Locator(".modal-ux input[aria-label='auth-bearer-value']").FillAsync(key);
            await page.Locator(".modal-ux button.modal-btn.auth.authorize").ClickAsync();
            await Assertions.Expect(page.Locator(".modal-ux button.modal-btn.auth:has-text('Logout')")).ToBeVisibleAsync();
            await page.Locator(".modal-ux button.btn-done").ClickAsync();

            var list = await TryItOut(page, "operations-Articles-listArticles");
            await Assertions.Expect(list.Locator(".live-responses-table tr.response .response-col_status").First).ToHaveTextAsync("200");
            var listed = JsonNode.Parse(await ResponseBody(list))!;
            Assert.Contains("wuzhen-summit-why-wuzhen", listed["items"]!.AsArray().Select(i => (string?)i!["slug"]));
            Assert.DoesNotContain("Authorization", await list.Locator(".curl-command").InnerTextAsync()); // a public read: no key sent

            var create = await TryItOut(page, "operations-Articles-createArticle");
            await Assertions.Expect(create.Locator(".live-responses-table tr.response .response-col_status").First).ToHaveTextAsync("201");
            var created = JsonNode.Parse(await ResponseBody(create))!;
            Assert.Equal("心向“網”之:為何是烏鎮?", (string?)created["title"]);
            Assert.Equal("draft", (string?)created["status"]);
            Assert.Equal("domestic", (string?)created["section"]?["slug"]);
            Assert.Contains("Authorization: Bearer " + key, await create.Locator(".curl-command").InnerTextAsync());
            await create.Locator(".live-responses-table").ScrollIntoViewIfNeededAsync();
            Assert.Empty(blocked); // the policy holds Swagger UI to its own origin without breaking it
        }
        finally
        {
            Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
            await page.ScreenshotAsync(new() { Path = ScreenshotPath, FullPage = false });
            output.WriteLine($"Screenshot: {ScreenshotPath}");
        }

        // What the browser did is what the API stored.
        var drafts = await (await (await As(Role.Previewer)).GetAsync("/api/v1/articles?status=draft")).Json();
        Assert.Equal(["心向“網”之:為何是烏鎮?"], drafts["items"]!.AsArray().Select(i => (string?)i!["title"]));
    }

    /// <summary>Opens the operation, presses "Try it out" (the request example is prefilled) and "Execute".</summary>
    static async Task<ILocator> TryItOut(IPage page, string id)
    {
        var operation = page.Locator($"#{id}");
        await operation.Locator(".opblock-summary").First.ClickAsync();
        await operation.Locator("button.try-out__btn").ClickAsync();
        await operation.Locator("button.execute").ClickAsync();
        await Assertions.Expect(operation.Locator(".live-responses-table")).ToBeVisibleAsync();
        return operation;
    }

    static Task<string> ResponseBody(ILocator operation) =>
        operation.Locator(".live-responses-table tr.response .response-col_description pre").First.InnerTextAsync();
}
