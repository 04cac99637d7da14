using System.Net;

namespace NewsApi.Tests.Reads;

/// <summary>What one anonymous read of a surface saw: its status, whether the story was in it, and its ETag.</summary>
internal sealed record Sighting(Surface Surface, HttpStatusCode Status, bool Shows, string? ETag)
{
    public static async Task<Sighting> Look(HttpClient client, Surface surface, Story story, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, surface.Path);
        if (surface.Accept is { } accept)
            request.Headers.Accept.ParseAdd(accept);
        if (ifNoneMatch is not null)
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var named = body.Contains(story.Id.ToString(), StringComparison.Ordinal) || body.Contains(Story.Slug, StringComparison.Ordinal);
        var movedTo = response.Headers.Location?.OriginalString ?? "";
        var shows = response.StatusCode switch
        {
            // The client's copy, which showed the story, is confirmed as still good.
            HttpStatusCode.NotModified => true,
            HttpStatusCode.MovedPermanently => movedTo.EndsWith("/" + Story.Slug, StringComparison.Ordinal),
            HttpStatusCode.OK => named,
            _ => false,
        };
        return new Sighting(surface, response.StatusCode, shows, response.Headers.ETag?.ToString());
    }

    /// <summary>Reads every surface at once; with <paramref name="earlier"/>, each as a revalidation of the copy read then.</summary>
    public static async Task<IReadOnlyList<Sighting>> Everywhere(HttpClient client, Story story, IReadOnlyList<Sighting>? earlier = null) =>
        await Task.WhenAll(Surfaces.Of(story).Select(s => Look(client, s, story, earlier?.Single(e => e.Surface == s).ETag)));

    public string Describe(HttpStatusCode expected) =>
        Status == HttpStatusCode.NotModified ? $"{Surface.Name}: 304, the copy that showed it is still good"
        : Shows ? $"{Surface.Name}: shows it ({(int)Status})"
        : Status == expected ? $"{Surface.Name}: {(int)Status} without it"
        : $"{Surface.Name}: {(int)Status}, expected {(int)expected}";
}

/// <summary>The assertions: one per moment, naming every surface that is wrong, so one failure lists all the leaks.</summary>
internal static class Seen
{
    /// <summary>Asserts the story is on every surface (which also stores each answer in the service's own cache).</summary>
    public static async Task<IReadOnlyList<Sighting>> Everywhere(HttpClient client, Story story, string when)
    {
        var seen = await Sighting.Everywhere(client, story);
        var missing = seen.Where(s => !s.Shows || s.Status != s.Surface.WhenShown).Select(s => s.Describe(s.Surface.WhenShown)).ToList();
        Assert.True(missing.Count == 0, $"{when}, the story should show on every public surface, but:\n  {string.Join("\n  ", missing)}");
        return seen;
    }

    /// <summary>
    /// Asserts the story is on no surface: read afresh (through whatever the service cached) and, given what was read
    /// <paramref name="earlier"/>, revalidated with those ETags as a CDN would.
    /// </summary>
    public static async Task Nowhere(HttpClient client, Story story, string when, bool killed = false,
        IReadOnlyList<Sighting>? earlier = null)
    {
        var seen = (await Sighting.Everywhere(client, story)).ToList();
        if (earlier is not null)
            seen.AddRange((await Sighting.Everywhere(client, story, earlier))
                .Select(s => s with { Surface = s.Surface with { Name = s.Surface.Name + " (revalidated)" } }));
        var leaks = seen.Where(s => s.Shows || s.Status != s.Surface.WhenHidden(killed))
            .Select(s => s.Describe(s.Surface.WhenHidden(killed))).ToList();
        Assert.True(leaks.Count == 0, $"{when}, the story should show on no public surface, but:\n  {string.Join("\n  ", leaks)}");
    }
}
