using System.Net;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;
using static NewsApi.Tests.Import.ImportTestData;

namespace NewsApi.Tests.Import;

/// <summary>Idempotency-Key on imports: whose key it is, what makes a retry the same request, and how long a crashed run holds it.</summary>
public sealed class IdempotencyKeyTests(ApiFixture fixture) : ApiTest(fixture)
{
    const string Reused = "urn:newsapi:problem:idempotency-key-reused";

    [Fact]
    public async Task The_same_key_from_two_api_keys_is_two_claims()
    {
        using var wire = await As(Role.Editor, "wire-import");
        using var desk = await As(Role.Editor, "desk-script");

        await wire.Import(Body(Ndjson(Story("k-1"))), idempotencyKey: "batch-1");
        var other = await desk.Import(Body(Ndjson(Story("k-2"))), idempotencyKey: "batch-1");
        var same = await desk.Import(Body(Ndjson(Story("k-1", title: "改"))), idempotencyKey: "batch-2");
        var sameBodyOtherKey = await wire.Import(Body(Ndjson(Story("k-1", title: "改"))), idempotencyKey: "batch-2");

        Assert.Equal("created", other.Results.Single().Outcome());
        Assert.False(other.Response.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal("updated", same.Results.Single().Outcome());
        Assert.Equal("unchanged", sameBodyOtherKey.Results.Single().Outcome()); // ran again, found nothing to change
        Assert.False(sameBodyOtherKey.Response.Headers.Contains("Idempotency-Replayed"));
        await using var db = Fixture.NewDbContext();
        Assert.Equal(2, await db.Articles.CountAsync());
    }

    [Fact]
    public async Task A_key_reused_with_another_query_or_content_type_is_refused_not_replayed()
    {
        using var editor = await As(Role.Editor);
        var body = Ndjson(Story("q-1"));
        await editor.Import(Body(body), idempotencyKey: "nightly");

        var otherQuery = await editor.Import(Body(body), query: "?atomic=true", idempotencyKey: "nightly", expected: HttpStatusCode.UnprocessableEntity);
        var otherType = await editor.Import(Body(body, "application/json"), idempotencyKey: "nightly", expected: HttpStatusCode.UnprocessableEntity);
        var replay = await editor.Import(Body(body), idempotencyKey: "nightly");

        await otherQuery.Response.Problem(HttpStatusCode.UnprocessableEntity, Reused);
        await otherType.Response.Problem(HttpStatusCode.UnprocessableEntity, Reused);
        Assert.Equal("true", replay.Response.Headers.GetValues("Idempotency-Replayed").Single());
    }

    [Fact]
    public async Task A_claim_left_by_a_stalled_run_holds_for_the_lease_then_a_retry_runs_and_keeps_its_answer()
    {
        using var editor = await As(Role.Editor);
        var body = Ndjson(Story("s-1"));
        using var stall = new CancellationTokenSource();
        var stalled = new StalledBody(body, stall.Token) { Headers = { ContentType = new("application/x-ndjson") } };
        using var first = new HttpRequestMessage(HttpMethod.Post, "/api/v1/import/articles") { Content = stalled, Headers = { { "Idempotency-Key", "crash" } } };
        var running = editor.SendAsync(first, HttpCompletionOption.ResponseHeadersRead, stall.Token);
        await WaitForClaim();

        var busy = await editor.Import(Body(body), idempotencyKey: "crash", expected: HttpStatusCode.Conflict);
        await busy.Response.Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Clock.Advance(TimeSpan.FromMinutes(4));
        await editor.Import(Body(body), idempotencyKey: "crash", expected: HttpStatusCode.Conflict);

        Clock.Advance(TimeSpan.FromMinutes(2)); // past the 5-minute lease: the first run counts as crashed
        var retry = await editor.Import(Body(body), idempotencyKey: "crash");
        Assert.Equal("created", retry.Results.Single().Outcome());

        // The stalled run ends at last; the retry's claim and answer are the ones kept.
        await stall.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => running);
        await Task.Delay(500);
        var replay = await editor.Import(Body(body), idempotencyKey: "crash");
        Assert.Equal("true", replay.Response.Headers.GetValues("Idempotency-Replayed").Single());
        Assert.Equal(retry.Results.Single().ToJsonString(), replay.Results.Single().ToJsonString());
    }

    async Task WaitForClaim()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            await using var db = Fixture.NewDbContext();
            if (await db.IdempotencyRecords.AnyAsync())
                return;
            await Task.Delay(50);
        }
        Assert.Fail("The first import never claimed its key.");
    }

    /// <summary>Sends the first line, then nothing more until cancelled: a run that stopped making progress, as after a crash.</summary>
    sealed class StalledBody(string start, CancellationToken stalled) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(start));
            await stream.FlushAsync();
            await Task.Delay(Timeout.Infinite, stalled);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
