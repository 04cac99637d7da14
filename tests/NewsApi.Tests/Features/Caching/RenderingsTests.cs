using Microsoft.AspNetCore.Http;
using NewsApi.Api.Caching;

namespace NewsApi.Tests.Features.Caching;

public sealed class RenderingsTests
{
    [Fact]
    public async Task A_miss_that_arrives_while_another_renders_waits_for_its_answer_and_the_next_renders_again()
    {
        var renderings = new Renderings();
        var response = new DefaultHttpContext().Response;
        response.Headers.ETag = "\"q3kF\"";
        var (answer, _) = CachedAnswer.Keep(response, "{}"u8, DateTimeOffset.UnixEpoch, new(TimeSpan.FromSeconds(60), TimeSpan.Zero));

        Assert.Null(renderings.Join("/api/v1/sections", out var first));
        var waiting = renderings.Join("/api/v1/sections", out var second);
        Assert.Null(renderings.Join("/api/v1/tags", out var other));

        Assert.Null(second);
        Assert.NotNull(other);
        Assert.False(waiting!.IsCompleted);
        renderings.Done("/api/v1/sections", first!, answer);
        Assert.Same(answer, await waiting);
        Assert.Null(renderings.Join("/api/v1/sections", out var later));
        Assert.NotNull(later);
    }
}
