using NewsApi.Api.Auth;
using NewsApi.Content;
using NewsApi.Data.Entities;
using NewsApi.Tests.Builders;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Hostile;

/// <summary>
/// The data the hostile requests aim at: one of every resource, a public article, and articles no anonymous caller may
/// see (draft, scheduled, embargoed, killed, never-public killed), each carrying a marker of its own in its title,
/// summary, byline and body, and sitting in the same section, tag, author, topic and featured list as the public one.
/// </summary>
internal sealed class Seeded
{
    /// <summary>Text that only non-public content carries: an anonymous answer holding any of these is a leak.</summary>
    public static readonly string[] Markers =
        ["zqxdraftmarker", "zqxscheduledmarker", "zqxembargomarker", "zqxkilledmarker", "zqxhiddenkilledmarker", "zqxdrafttopicmarker"];

    public required string AdminKey { get; init; }
    public required string PreviewerKey { get; init; }
    public required string RevokedKey { get; init; }
    public required Guid PreviewerKeyId { get; init; }
    public required Article Public { get; init; }
    public required IReadOnlyList<Article> Hidden { get; init; }
    public required string Section { get; init; }
    public required string Tag { get; init; }
    public required string Author { get; init; }
    public required string Topic { get; init; }
    public required string DraftTopic { get; init; }
    public required string FeaturedList { get; init; }
    public required Guid EntryId { get; init; }
    public required Guid WebhookId { get; init; }

    public IEnumerable<Article> Articles => Hidden.Prepend(Public);

    public static async Task<Seeded> Place(Given given, ApiFixture fixture)
    {
        var now = fixture.Clock.GetUtcNow();
        var section = await given.Section("domestic");
        var tag = await given.Tag("wuzhen");
        var author = await given.Author("zhang-yuhuan", bio: "Reporter");

        Article Make(string slug, string? marker, Action<ArticleBuilder>? shape = null)
        {
            var builder = given.Article(slug).In(section).Tagged(tag).By(author);
            if (marker is not null)
                builder.Titled("烏鎮 " + marker).WithBody(Block.Paragraph("正文 " + marker));
            shape?.Invoke(builder);
            var article = builder.Build();
            if (marker is not null)
                (article.Summary, article.Byline) = ("摘要 " + marker, "記者 " + marker);
            return article;
        }

        var published = Make("public-story", null);
        var hiddenKilled = Make("hidden-killed", Markers[4], a => a.WithStatus(ArticleStatus.Killed));
        (hiddenKilled.PublishedAt, hiddenKilled.FirstPublishedAt) = (null, null);
        var hidden = new List<Article>
        {
            Make("draft-story", Markers[0], a => a.WithStatus(ArticleStatus.Draft)),
            Make("scheduled-story", Markers[1], a => a.WithStatus(ArticleStatus.Scheduled)),
            Make("embargoed-story", Markers[2], a => a.EmbargoedUntil(now.AddDays(2))),
            Make("killed-story", Markers[3], a => a.WithStatus(ArticleStatus.Killed)),
            hiddenKilled,
        };
        await using (var db = fixture.NewDbContext())
        {
            db.Articles.AddRange(hidden.Prepend(published));
            await db.SaveChangesAsync();
        }

        var all = hidden.Prepend(published).ToArray();
        await given.Topic("wuzhen-summit", "烏鎮峰會", TopicStatus.Published, all);
        await given.Topic("draft-topic", "專題 " + Markers[5], TopicStatus.Draft, all);
        var entries = all.Select((a, i) => Given.Entry(a, i + 1, now.AddHours(-1))).ToArray();
        var list = await given.FeaturedList("front-page", "頭條", section, 10, entries);

        var webhook = new Webhook
        {
            Url = "http://127.0.0.1:9/unreachable", Events = ["article.published"], Secret = "hostile-suite-secret",
            Active = false, CreatedAt = now, UpdatedAt = now,
        };
        await given.Save(webhook);

        var (admin, _) = await Key(given, now, Role.Admin, revoked: false);
        var (previewer, previewerId) = await Key(given, now, Role.Previewer, revoked: false);
        var (revoked, _) = await Key(given, now, Role.Admin, revoked: true);
        return new Seeded
        {
            AdminKey = admin, PreviewerKey = previewer, PreviewerKeyId = previewerId, RevokedKey = revoked,
            Public = published, Hidden = hidden, Section = section.Slug, Tag = tag.Slug, Author = author.Slug,
            Topic = "wuzhen-summit", DraftTopic = "draft-topic", FeaturedList = list.Slug, EntryId = entries[0].Id,
            WebhookId = webhook.Id,
        };
    }

    /// <summary>A key already marked as used now, so that using it changes nothing stored.</summary>
    static async Task<(string Secret, Guid Id)> Key(Given given, DateTimeOffset now, Role role, bool revoked)
    {
        var secret = ApiKeySecrets.New();
        var key = new ApiKey
        {
            Name = $"hostile-{role}-{(revoked ? "revoked" : "live")}".ToLowerInvariant(), Role = role,
            Prefix = ApiKeySecrets.Prefix(secret), Hash = ApiKeySecrets.Hash(secret), CreatedAt = now.AddDays(-1),
            LastUsedAt = now, RevokedAt = revoked ? now.AddHours(-1) : null,
        };
        await given.Save(key);
        return (secret, key.Id);
    }

    /// <summary>
    /// Values of existing things for a path parameter, by the segment before it: every article for an article id
    /// (so anonymous reads aim at the hidden ones too), the one resource of each other kind.
    /// </summary>
    public IReadOnlyList<string> Real(Operation op, Parameter p)
    {
        var resource = Resource(op.Path, p.Name);
        return (p.Name, resource) switch
        {
            ("id" or "articleId", "articles") or ("articleId", _) => Articles.Select(a => a.Id.ToString()).ToList(),
            ("slug", "slug") => Articles.Select(a => a.Slug).ToList(),
            ("id", "api-keys") => [PreviewerKeyId.ToString()],
            ("id", "webhooks") => [WebhookId.ToString()],
            ("slug", "authors") => [Author],
            ("slug", "featured-lists") => [FeaturedList],
            ("slug", "sections") => [Section],
            ("slug", "tags") => [Tag],
            ("slug", "topics") => [Topic, DraftTopic],
            ("entryId", _) => [EntryId.ToString()],
            ("format", _) => p.Enum.Count > 0 ? p.Enum : ["rss"],
            ("page" or "number", _) => ["1"],
            _ => [Missing(p)],
        };
    }

    /// <summary>A well-formed value that names nothing stored.</summary>
    public static string Missing(Parameter p) => p switch
    {
        { Format: "uuid" } => "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
        { Type: "integer" } => "424242",
        { Enum.Count: > 0 } => p.Enum[0],
        _ => "no-such-thing",
    };

    static string Resource(string path, string name)
    {
        var segments = path.Split('/');
        var at = Array.FindIndex(segments, s => s.Contains("{" + name + "}"));
        return at > 0 ? segments[at - 1] : "";
    }

    /// <summary>The operation's path with each parameter given by <paramref name="value"/>, already escaped as it should travel.</summary>
    public static string Url(Operation op, Func<Parameter, string> value, string? query = null)
    {
        var path = op.Path;
        foreach (var p in op.InPath)
            path = path.Replace("{" + p.Name + "}", value(p));
        return query is null ? path : path + "?" + query;
    }

    /// <summary>The first existing value for each parameter, escaped.</summary>
    public string RealUrl(Operation op, string? query = null) => Url(op, p => Uri.EscapeDataString(Real(op, p)[0]), query);

    public static string MissingUrl(Operation op, string? query = null) => Url(op, p => Uri.EscapeDataString(Missing(p)), query);

    /// <summary>The path with every existing combination of values (all articles for an article id), escaped.</summary>
    public IEnumerable<string> RealUrls(Operation op)
    {
        IEnumerable<Dictionary<string, string>> combos = [new()];
        foreach (var p in op.InPath)
            combos = combos.SelectMany(c => Real(op, p).Select(v => new Dictionary<string, string>(c) { [p.Name] = v }));
        return combos.Select(c => Url(op, p => Uri.EscapeDataString(c[p.Name])));
    }
}
