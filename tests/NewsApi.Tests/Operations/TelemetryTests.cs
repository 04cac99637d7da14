using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using NewsApi.Tests.Infrastructure;
using Npgsql;

namespace NewsApi.Tests.Operations;

/// <summary>
/// What a platform team scrapes and collects: Prometheus text at /metrics (request latency per route, cache lookups,
/// backlogs, rate-limit rejections), served to allowed addresses only, and JSON log lines that carry the request's trace id.
/// </summary>
public sealed class TelemetryTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Metrics_give_request_latency_per_route_and_the_cache_hits_and_misses_in_Prometheus_text()
    {
        var story = await Given.Article("wuzhen-summit").Save();
        await Client.GetAsync($"/api/v1/articles/slug/{story.Slug}"); // a miss: rendered and kept
        await Client.GetAsync($"/api/v1/articles/slug/{story.Slug}"); // a hit

        var metrics = await ScrapeUntil(Client, text =>
            Series(text, "newsapi_cache_lookups_total", "newsapi_cache_result=\"hit\"", "http_route=\"/api/v1/articles/slug/{slug}\"") >= 1);

        Assert.True(Series(metrics, "newsapi_cache_lookups_total", "newsapi_cache_result=\"miss\"", "http_route=\"/api/v1/articles/slug/{slug}\"") >= 1);
        Assert.True(Series(metrics, "http_server_request_duration_seconds_count", "http_route=\"/api/v1/articles/slug/{slug}\"", "http_response_status_code=\"200\"") >= 2);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", metrics);
        Assert.Contains("http_server_request_duration_seconds_bucket{", metrics);
    }

    [Fact]
    public async Task Metrics_are_in_no_OpenAPI_document()
    {
        var document = await Client.GetStringAsync("/swagger/v1/swagger.json");

        Assert.DoesNotContain("\"/metrics\"", document);
    }

    [Fact]
    public async Task Metrics_count_the_outbox_and_webhook_backlogs()
    {
        await using (var db = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await db.OpenAsync();
            await using var waiting = new NpgsqlCommand(
                "INSERT INTO outbox_events (type, subject, data, at) VALUES ('article.published', 'article:waiting', '{}', now())", db);
            await waiting.ExecuteNonQueryAsync();
        }
        // No dispatcher here to fan the event out; counted every second.
        await using var host = new ApiFactory(Fixture.ConnectionString, new FakeTimeProvider(ApiFixture.Now),
            settings: new() { ["Webhooks:Enabled"] = "false", ["Telemetry:BacklogInterval"] = "00:00:01" });
        using var client = host.CreateHttpClient();

        var metrics = await ScrapeUntil(client, text => Series(text, "newsapi_outbox_backlog") >= 1);

        Assert.Contains("# TYPE newsapi_outbox_backlog gauge", metrics);
        Assert.Contains("newsapi_outbox_oldest_age_seconds", metrics);
        Assert.True(Series(metrics, "newsapi_webhooks_backlog") >= 0);
        Assert.Contains("newsapi_webhooks_oldest_age_seconds", metrics);
    }

    [Fact]
    public async Task The_search_index_lag_is_scraped_as_the_queue_length_and_oldest_age_and_falls_to_zero_once_indexed()
    {
        await Given.PublishedArticles(3);
        await SearchIndexed();
        await using (var db = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await db.OpenAsync();
            // As after a migration that adds search rows: articles stored without them, queued at start.
            await using var unindexed = new NpgsqlCommand("DELETE FROM article_search_documents", db);
            Assert.Equal(3, await unindexed.ExecuteNonQueryAsync());
        }
        await using var host = new ApiFactory(Fixture.ConnectionString, new FakeTimeProvider(ApiFixture.Now),
            settings: new() { ["Search:IndexerEnabled"] = "true" });
        using var client = host.CreateHttpClient();

        var metrics = await ScrapeUntil(client, text =>
            Series(text, "newsapi_search_queue_length") == 0 && Series(text, "newsapi_search_queue_oldest_age_seconds") == 0 && Indexed() == 3);

        Assert.Contains("# TYPE newsapi_search_queue_length gauge", metrics);
        Assert.Contains("# TYPE newsapi_search_queue_oldest_age_seconds gauge", metrics);
    }

    long Indexed()
    {
        using var check = new NpgsqlConnection(Fixture.ConnectionString);
        check.Open();
        using var count = new NpgsqlCommand("SELECT count(*) FROM article_search_documents", check);
        return (long)count.ExecuteScalar()!;
    }

    [Fact]
    public async Task Rate_limit_rejections_are_counted_and_the_scrape_itself_is_never_limited()
    {
        await using var host = new ApiFactory(Fixture.ConnectionString, new FakeTimeProvider(ApiFixture.Now),
            settings: new() { ["RateLimits:AnonymousReads:PermitLimit"] = "2", ["RateLimits:AnonymousReads:Window"] = "01:00:00" });
        using var client = host.CreateHttpClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            statuses.Add((await client.GetAsync("/api/v1/sections")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);

        var metrics = await ScrapeUntil(client, text =>
            Series(text, "aspnetcore_rate_limiting_requests_total", "aspnetcore_rate_limiting_result=\"global_limiter\"") >= 1);

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics")).StatusCode);
        Assert.True(Series(metrics, "aspnetcore_rate_limiting_requests_total", "aspnetcore_rate_limiting_result=\"acquired\"") >= 2);
    }

    [Fact]
    public async Task Metrics_are_refused_to_an_address_that_is_not_allowed()
    {
        await using var host = new ApiFactory(Fixture.ConnectionString, new FakeTimeProvider(ApiFixture.Now),
            settings: new() { ["Telemetry:MetricsAllowed:0"] = "10.0.0.0/8" });
        using var client = host.CreateHttpClient();

        var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("urn:newsapi:problem:forbidden", problem.GetProperty("type").GetString());
        Assert.DoesNotContain("http_server", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Behind_a_trusted_balancer_metrics_are_judged_by_the_client_address_it_forwards()
    {
        await using var host = new ApiFactory(Fixture.ConnectionString, new FakeTimeProvider(ApiFixture.Now),
            settings: new() { ["Proxies:Trusted:0"] = "127.0.0.1" });
        using var client = host.CreateHttpClient();

        using var fromTheInternet = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "X-Forwarded-For", "203.0.113.9" } } };
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(fromTheInternet)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics")).StatusCode); // the balancer's own host, on loopback
    }

    [Fact]
    public async Task A_setting_that_names_no_address_stops_the_service_naming_it()
    {
        await using var host = new ApiFactory(Fixture.ConnectionString, new FakeTimeProvider(ApiFixture.Now),
            settings: new() { ["Telemetry:MetricsAllowed:0"] = "prometheus.internal" });

        Assert.Contains("Telemetry:MetricsAllowed", host.StartRefusal());
    }

    [Fact]
    public async Task Outside_Development_each_log_line_is_JSON_carrying_the_trace_id_of_its_request()
    {
        await using var service = await ServiceProcess.StartAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__NewsDb"] = Fixture.ConnectionString,
            ["Paging__CursorKey"] = Convert.ToBase64String(new byte[32]),
            // The request's own lines ("Request starting…") are what this test reads.
            ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
        });
        using var client = service.CreateClient();
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/sections") { Headers = { { "traceparent", $"00-{traceId}-0123456789abcdef-01" } } };

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);

        var line = await service.WaitForLineAsync(l => l.Contains(traceId, StringComparison.Ordinal));
        using var entry = JsonDocument.Parse(line);
        Assert.Equal("Microsoft.AspNetCore.Hosting.Diagnostics", entry.RootElement.GetProperty("Category").GetString());
        Assert.Contains(entry.RootElement.GetProperty("Scopes").EnumerateArray(), scope =>
            scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("TraceId", out var id) && id.GetString() == traceId);
        Assert.All(service.Lines.Where(l => l.StartsWith('{')), l => JsonDocument.Parse(l).Dispose());
    }

    /// <summary>Scrapes until the text satisfies the condition (the exporter keeps each scrape for 300 ms; ten seconds at most).</summary>
    static async Task<string> ScrapeUntil(HttpClient client, Func<string, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var response = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            var text = await response.Content.ReadAsStringAsync();
            if (condition(text))
                return text;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"The scrape never showed what was expected:\n{text}");
            await Task.Delay(200);
        }
    }

    /// <summary>The sum of the samples of a series whose labels include all of those given; -1 when there is none.</summary>
    static double Series(string text, string name, params string[] labels)
    {
        var samples = text.Split('\n')
            .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Where(l => labels.All(label => l.Contains(label, StringComparison.Ordinal)))
            .Select(l => double.Parse(l.Split(' ')[^1].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        return samples.Count == 0 ? -1 : samples.Sum();
    }
}
