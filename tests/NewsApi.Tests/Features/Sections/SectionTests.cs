using System.Net;
using NewsApi.Api;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Features.Sections;

public sealed class SectionTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task The_tree_nests_sub_sections_in_position_order()
    {
        var domestic = await Given.Section("domestic", "國內", position: 1);
        await Given.Section("world", "國際", position: 2);
        await Given.Section("shanghai", "上海", parent: domestic, position: 2);
        var zhejiang = await Given.Section("zhejiang", "浙江", parent: domestic, position: 1);
        await Given.Section("wuzhen", "烏鎮", parent: zhejiang);

        var tree = await (await Client.GetAsync("/api/v1/sections")).Json();

        var top = tree["items"]!.AsArray();
        Assert.Equal(["domestic", "world"], top.Select(s => (string)s!["slug"]!));
        Assert.Equal(["zhejiang", "shanghai"], top[0]!["children"]!.AsArray().Select(s => (string)s!["slug"]!));
        Assert.Equal("烏鎮", (string?)top[0]!["children"]![0]!["children"]![0]!["name"]);
        Assert.Empty(top[1]!["children"]!.AsArray());
    }

    [Fact]
    public async Task A_section_by_slug_shows_its_path_and_children()
    {
        var domestic = await Given.Section("domestic", "國內");
        var zhejiang = await Given.Section("zhejiang", "浙江", parent: domestic);
        await Given.Section("wuzhen", "烏鎮", parent: zhejiang);

        var section = await (await Client.GetAsync("/api/v1/sections/zhejiang")).Json();

        Assert.Equal("浙江", (string?)section["name"]);
        Assert.Equal("domestic", (string?)section["parent"]);
        Assert.Equal(["domestic", "zhejiang"], section["path"]!.AsArray().Select(s => (string)s!["slug"]!));
        Assert.Equal(["wuzhen"], section["children"]!.AsArray().Select(s => (string)s!["slug"]!));
    }

    [Fact]
    public async Task An_unknown_section_is_a_problem_404()
    {
        await (await Client.GetAsync("/api/v1/sections/nowhere")).Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }
}
