using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using NewsApi.Api.Caching;

namespace NewsApi.Tests.Features.Caching;

/// <summary>The stored form of a public answer, as a shared store (a fresh array on every read) hands it back.</summary>
public sealed class CachedAnswerTests
{
    static readonly DateTimeOffset StoredAt = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    static HttpResponse Response()
    {
        var response = new DefaultHttpContext().Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers.ContentType = "application/json; charset=utf-8";
        response.Headers.ETag = "\"7.q3kF\"";
        response.Headers.LastModified = "Sun, 01 Mar 2026 08:00:00 GMT";
        response.Headers.Link = new StringValues(["</a>; rel=\"prev\"", "</c>; rel=\"next\""]);
        response.Headers.CacheControl = "public, max-age=60, stale-while-revalidate=30";
        response.Headers.SetCookie = "session=1";
        return response;
    }

    [Fact]
    public void An_answer_read_back_from_a_fresh_copy_of_its_bytes_is_the_answer_that_was_kept()
    {
        var (kept, stored) = CachedAnswer.Keep(Response(), "{\"title\":\"烏鎮\"}"u8, StoredAt, new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30)));

        var read = CachedAnswer.Read(stored.ToArray())!;

        Assert.NotSame(kept, read);
        Assert.Equal("{\"title\":\"烏鎮\"}"u8.ToArray(), read.Body.ToArray());
        Assert.Equal(StatusCodes.Status200OK, read.Status);
        Assert.Equal("\"7.q3kF\"", read.ETag);
        Assert.Equal(StoredAt, read.LastModified);
        Assert.Equal(StoredAt.AddSeconds(60), read.FreshUntil);
        Assert.Equal(kept.Headers, read.Headers);
        Assert.Equal("</a>; rel=\"prev\",</c>; rel=\"next\"", read.Headers.Single(h => h.Name == "Link").Value.ToString());
    }

    [Fact]
    public void Cache_control_and_cookies_are_not_kept_but_made_for_each_hit()
    {
        var (kept, _) = CachedAnswer.Keep(Response(), "{}"u8, StoredAt, new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30)));

        Assert.DoesNotContain(kept.Headers, h => h.Name is "Cache-Control" or "Set-Cookie");
        Assert.Equal("public, max-age=60, stale-while-revalidate=30", kept.CacheControlAt(StoredAt));
        Assert.Equal("public, max-age=10, stale-while-revalidate=30", kept.CacheControlAt(StoredAt.AddSeconds(50)));
        Assert.Equal("public, max-age=9, stale-while-revalidate=30", kept.CacheControlAt(StoredAt.AddSeconds(50.5)));
        Assert.False(kept.IsFreshAt(StoredAt.AddSeconds(60)));
    }

    [Fact]
    public void Bytes_this_version_did_not_write_are_no_answer()
    {
        Assert.Null(CachedAnswer.Read([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        Assert.Null(CachedAnswer.Read([1, 2, 3]));
    }
}
