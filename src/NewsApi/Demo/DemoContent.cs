using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Demo;

/// <summary>Settings of the <c>Demo</c> section.</summary>
internal sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Load the demo content (the Wuzhen summit story, its section, topic and featured list) on start.</summary>
    public bool Load { get; set; }
}

/// <summary>
/// The demo newsroom, built from the sample wire story as it reached us. Loading is idempotent: every
/// item is found by its slug (or external id) first, and what exists is left as editors may have changed it.
/// </summary>
internal static class DemoContent
{
    public const string StoryExternalId = "demo:chinanews:wuzhen-summit-2023-11-11";

    public static IServiceCollection AddDemoContent(this IServiceCollection services, IConfiguration config) =>
        services.Configure<DemoOptions>(config.GetSection(DemoOptions.Section));

    /// <summary>Loads the demo content when configured, and logs where the story is read: <paramref name="storyPath"/>
    /// comes from the host, which knows the route tables; the demo does not.</summary>
    public static async Task LoadDemoContentAsync(this WebApplication app, Func<string, string> storyPath)
    {
        if (!app.Services.GetRequiredService<IOptions<DemoOptions>>().Value.Load)
            return;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var created = await LoadAsync(db, clock.GetUtcNow(), CancellationToken.None);
        app.Logger.LogInformation("Demo content: {Created} item(s) added; story at {Path}", created, storyPath(DemoStory.Slug));
    }

    /// <summary>Adds whatever of the demo content is missing and returns how many items it added.</summary>
    public static async Task<int> LoadAsync(NewsDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var story = WireStory.Parse(Sample(), new DateOnly(2023, 11, 11));

        var domestic = await Find(db.Sections, s => s.Slug == DemoStory.SectionSlug, () => new Section
        {
            Slug = DemoStory.SectionSlug, Name = DemoStory.SectionName, Description = DemoStory.SectionDescription, Position = 1, CreatedAt = now, UpdatedAt = now,
        });
        await Find(db.Sections, s => s.Slug == DemoStory.SubsectionSlug, () => new Section
        {
            Slug = DemoStory.SubsectionSlug, Name = DemoStory.SubsectionName, Description = DemoStory.SubsectionDescription, ParentId = domestic.Id, Position = 1, CreatedAt = now, UpdatedAt = now,
        });
        var author = await Find(db.Authors, a => a.Slug == DemoStory.AuthorSlug, () => new Author { Slug = DemoStory.AuthorSlug, Name = story.Byline ?? DemoStory.AuthorName });
        var tags = new List<Tag>
        {
            await Find(db.Tags, t => t.Slug == DemoStory.TagSlug, () => new Tag { Slug = DemoStory.TagSlug, Name = DemoStory.TagName }),
            await Find(db.Tags, t => t.Slug == "world-internet-conference", () => new Tag { Slug = "world-internet-conference", Name = "世界互聯網大會" }),
        };

        // Noon Beijing time on the dateline's day: the sample carries the date but not the hour.
        var storyTime = new DateTimeOffset(2023, 11, 11, 12, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime();
        var article = await Find(db.Articles, a => a.Slug == DemoStory.Slug || a.ExternalId == StoryExternalId, () =>
        {
            var a = new Article
            {
                ExternalId = StoryExternalId,
                Slug = DemoStory.Slug,
                Title = story.Title,
                Summary = Lead(story.Body),
                Dateline = story.Dateline,
                Byline = story.Byline,
                Source = DemoStory.Source,
                Language = DemoStory.Language,
                SectionId = domestic.Id,
                Status = ArticleStatus.Published,
                PublishedAt = storyTime,
                FirstPublishedAt = storyTime,
                CreatedAt = storyTime,
                UpdatedAt = storyTime,
                Authors = [new ArticleAuthor { AuthorId = author.Id, Position = 0 }],
                Tags = tags.Select((t, i) => new ArticleTag { TagId = t.Id, Position = i }).ToList(),
            };
            a.SetBody(story.Body.ToList());
            return a;
        });

        var topicTitle = story.Topics.Count > 0 ? story.Topics[0] : DemoStory.TopicTitle;
        var topic = await Find(db.Topics, t => t.Slug == DemoStory.TopicSlug, () => new Topic
        {
            Slug = DemoStory.TopicSlug, Title = topicTitle, Status = TopicStatus.Published,
            Description = "專題：" + topicTitle, CreatedAt = storyTime, UpdatedAt = storyTime,
        });
        if (!await db.TopicArticles.AnyAsync(m => m.TopicId == topic.Id && m.ArticleId == article.Id, ct))
            db.TopicArticles.Add(new TopicArticle { TopicId = topic.Id, ArticleId = article.Id, Position = 1 });

        var list = await Find(db.FeaturedLists, l => l.Slug == DemoStory.FeaturedSlug, () => new FeaturedList
        {
            Slug = DemoStory.FeaturedSlug, Title = story.Featured?.Title ?? DemoStory.FeaturedTitle, SectionId = domestic.Id, MaxItems = 10,
            CreatedAt = now, UpdatedAt = now,
        });
        await AddFeaturedEntries(db, list, article, story.Featured?.Times ?? [], domestic.Id);

        var added = db.ChangeTracker.Entries().Count(e => e.State == EntityState.Added);
        await db.SaveChangesAsync(ct);
        return added;

        async Task<T> Find<T>(DbSet<T> set, System.Linq.Expressions.Expression<Func<T, bool>> match, Func<T> create) where T : class
        {
            var existing = await set.FirstOrDefaultAsync(match, ct);
            if (existing is not null)
                return existing;
            var item = create();
            set.Add(item);
            return item;
        }
    }

    /// <summary>
    /// The sample's sidebar kept only the times of its ten entries, not their stories. The newest entry is the
    /// sample story; each other time gets a clearly marked stand-in article so the list reads as it did.
    /// </summary>
    static async Task AddFeaturedEntries(NewsDbContext db, FeaturedList list, Article story, IReadOnlyList<DateTimeOffset> times, Guid sectionId)
    {
        if (await db.FeaturedListEntries.AnyAsync(e => e.ListId == list.Id))
            return;
        var beijing = TimeSpan.FromHours(8);
        foreach (var (time, i) in times.OrderByDescending(t => t).Select((t, i) => (t, i)))
        {
            var article = story;
            if (i > 0)
            {
                var local = time.ToOffset(beijing);
                var slug = $"domestic-featured-{local:yyyyMMdd-HHmmss}";
                article = await db.Articles.FirstOrDefaultAsync(a => a.Slug == slug) ?? NewStandIn(db, slug, local, sectionId);
            }
            db.FeaturedListEntries.Add(new FeaturedListEntry
            {
                ListId = list.Id, ArticleId = article.Id, Position = i + 1, Pinned = false, FeaturedAt = time,
            });
        }
    }

    static Article NewStandIn(NewsDbContext db, string slug, DateTimeOffset local, Guid sectionId)
    {
        var note = $"樣本只保留了這則國內新聞精選的時間（{local:yyyy年MM月dd日 HH:mm:ss}），標題與內文缺失。";
        var article = new Article
        {
            Slug = slug,
            ExternalId = "demo:featured:" + local.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture),
            Title = $"{DemoStory.FeaturedTitle} {local:yyyy年MM月dd日 HH:mm}",
            Summary = note,
            Language = DemoStory.Language,
            SectionId = sectionId,
            Status = ArticleStatus.Published,
            PublishedAt = local.ToUniversalTime(),
            FirstPublishedAt = local.ToUniversalTime(),
            CreatedAt = local.ToUniversalTime(),
            UpdatedAt = local.ToUniversalTime(),
        };
        article.SetBody([Block.Paragraph(note)]);
        db.Articles.Add(article);
        return article;
    }

    /// <summary>The lead's opening sentences, cut at a full stop, as the summary a wire story lacks.</summary>
    static string? Lead(IReadOnlyList<Block> body)
    {
        var lead = body.FirstOrDefault(b => b.Type == BlockTypes.Paragraph)?.Text;
        if (lead is null)
            return null;
        var end = lead.LastIndexOf('。', Math.Min(lead.Length - 1, 150));
        return end > 0 ? lead[..(end + 1)] : lead;
    }

    /// <summary>The sample wire story, embedded so the demo needs nothing beside the binary.</summary>
    public static string Sample()
    {
        using var stream = typeof(DemoContent).Assembly.GetManifestResourceStream("NewsApi.Demo.wuzhen-summit-article.txt")
                           ?? throw new InvalidOperationException("The demo sample is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
