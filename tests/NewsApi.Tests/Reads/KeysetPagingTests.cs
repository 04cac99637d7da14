using System.Text.RegularExpressions;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Reads;

/// <summary>Every list pages by keyset: a later page starts after the last key, never at an OFFSET the database counts through.</summary>
public sealed partial class KeysetPagingTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Theory]
    [InlineData("/api/v1/articles")]
    [InlineData("/api/v1/tags")]
    [InlineData("/api/v1/authors")]
    [InlineData("/api/v1/topics")]
    [InlineData("/api/v1/featured-lists")]
    [InlineData("/api/v1/api-keys")]
    public async Task A_third_page_is_read_after_the_last_key_without_offset(string list)
    {
        await Given.PublishedArticles(3);
        for (var i = 0; i < 3; i++)
        {
            await Given.Tag($"tag-{i}");
            await Given.Author($"author-{i}");
            await Given.Topic($"topic-{i}", $"專題{i}");
            await Given.FeaturedList($"list-{i}", $"精選{i}");
        }
        using var admin = await As(Role.Admin);
        await Given.Key(Role.Editor);
        await Given.Key(Role.Previewer);

        var cursor = (string?)(await (await admin.GetAsync($"{list}?limit=1")).Json())["nextCursor"];
        cursor = (string?)(await (await admin.GetAsync($"{list}?limit=1&cursor={Uri.EscapeDataString(cursor!)}")).Json())["nextCursor"];
        Assert.NotNull(cursor);
        HttpResponseMessage? third = null;
        var sql = await SqlSentBy(async () => third = await admin.GetAsync($"{list}?limit=1&cursor={Uri.EscapeDataString(cursor!)}"));

        Assert.Single((await third!.Json())["items"]!.AsArray());
        Assert.DoesNotContain(sql, s => CountedOffset().IsMatch(s));
    }

    // OFFSET 0 is a planner fence (Search/SearchSql), not paging.
    [GeneratedRegex(@"\bOFFSET\s+(?!0\b)", RegexOptions.IgnoreCase)]
    private static partial Regex CountedOffset();
}
