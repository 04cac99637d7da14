using Microsoft.EntityFrameworkCore;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Import.ImportTestData;

namespace NewsApi.Tests.Import;

/// <summary>Wire titles repeat (「國內新聞精選」, 「股市收盤」): every story made from them still gets a slug of its own.</summary>
public sealed class ImportSlugTests(ApiFixture fixture) : ApiTest(fixture)
{
    // One title's slug is longer than a slug may be, so its numbered forms are shortened ones.
    static readonly string[] Titles =
    [
        .. Enumerable.Range(1, 19).Select(n => $"國內新聞精選 第{n}期"),
        "2023年世界互聯網大會烏鎮峰會開幕式暨數字經濟高質量發展論壇在浙江桐鄉烏鎮互聯網國際會展中心隆重舉行",
    ];

    static string Stories(string run) =>
        Ndjson(Enumerable.Range(0, 5000).Select(i => Story($"{run}-{i}", title: Titles[i % Titles.Length])).ToArray());

    [Fact]
    public async Task Five_thousand_stories_under_twenty_titles_imported_twice_at_once_each_get_a_slug_of_their_own()
    {
        using var first = await As(Role.Editor);
        using var second = await As(Role.Editor);

        var imports = await Task.WhenAll(first.Import(Body(Stories("a"))), second.Import(Body(Stories("b"))));

        foreach (var (_, results, summary) in imports)
        {
            Assert.Null(summary!["stopped"]);
            Assert.Equal(5000, (int?)summary["created"]);
            Assert.All(results, r => Assert.Equal("created", r.Outcome()));
        }
        await using var db = Fixture.NewDbContext();
        var slugs = await db.Articles.Select(a => a.Slug).ToListAsync();
        Assert.Equal(10_000, slugs.Count);
        Assert.Equal(10_000, slugs.Distinct().Count());
        Assert.All(slugs, s => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", s));
        Assert.True(slugs.Max(s => s.Length) <= 80);
        Assert.Contains("guo-nei-xin-wen-jing-xuan-di-1-qi-9", slugs);
    }
}
