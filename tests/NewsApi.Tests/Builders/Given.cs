using NewsApi.Content;
using NewsApi.Data.Entities;
using NewsApi.Tests.Infrastructure;

namespace NewsApi.Tests.Builders;

/// <summary>Puts test data straight into the database, with valid defaults for everything a test does not name.</summary>
internal sealed class Given(ApiFixture fixture)
{
    int _counter;

    public async Task<Section> Section(string slug, string? name = null, Section? parent = null, int position = 0)
    {
        var section = new Section
        {
            Slug = slug, Name = name ?? slug, ParentId = parent?.Id, Position = position,
            CreatedAt = fixture.Clock.GetUtcNow(), UpdatedAt = fixture.Clock.GetUtcNow(),
        };
        await Save(section);
        return section;
    }

    public async Task<Tag> Tag(string slug, string? name = null)
    {
        var tag = new Tag { Slug = slug, Name = name ?? slug };
        await Save(tag);
        return tag;
    }

    public async Task<Author> Author(string slug, string? name = null, string? bio = null)
    {
        var author = new Author { Slug = slug, Name = name ?? slug, Bio = bio };
        await Save(author);
        return author;
    }

    public ArticleBuilder Article(string? slug = null) =>
        new(this, fixture.Clock.GetUtcNow(), slug ?? $"article-{Interlocked.Increment(ref _counter)}");

    /// <summary>Published articles a minute apart, newest last, all in one section when given.</summary>
    public async Task<List<Article>> PublishedArticles(int count, Section? section = null, DateTimeOffset? start = null)
    {
        var first = start ?? fixture.Clock.GetUtcNow().AddDays(-30);
        var articles = Enumerable.Range(0, count)
            .Select(i => Article($"bulk-{Interlocked.Increment(ref _counter)}").In(section).PublishedAt(first.AddMinutes(i)).Build())
            .ToList();
        await using var db = fixture.NewDbContext();
        db.Articles.AddRange(articles);
        await db.SaveChangesAsync();
        return articles;
    }

    public async Task<Topic> Topic(string slug, string title, TopicStatus status = TopicStatus.Published, params Article[] articles)
    {
        var topic = new Topic
        {
            Slug = slug, Title = title, Status = status, CreatedAt = fixture.Clock.GetUtcNow(), UpdatedAt = fixture.Clock.GetUtcNow(),
            Articles = articles.Select((a, i) => new TopicArticle { ArticleId = a.Id, Position = i + 1 }).ToList(),
        };
        await Save(topic);
        return topic;
    }

    public async Task<FeaturedList> FeaturedList(string slug, string title, Section? section = null, int maxItems = 10, params FeaturedListEntry[] entries)
    {
        var list = new FeaturedList
        {
            Slug = slug, Title = title, SectionId = section?.Id, MaxItems = maxItems,
            CreatedAt = fixture.Clock.GetUtcNow(), UpdatedAt = fixture.Clock.GetUtcNow(), Entries = entries.ToList(),
        };
        await Save(list);
        return list;
    }

    public static FeaturedListEntry Entry(Article article, int position, DateTimeOffset featuredAt, bool pinned = false,
        DateTimeOffset? visibleFrom = null, DateTimeOffset? visibleUntil = null, DateTimeOffset? removedAt = null) => new()
    {
        ArticleId = article.Id, Position = position, FeaturedAt = featuredAt, Pinned = pinned,
        VisibleFrom = visibleFrom, VisibleUntil = visibleUntil, RemovedAt = removedAt,
    };

    /// <summary>A new API key with this role; returns the key itself, as its creator would have it.</summary>
    public async Task<string> Key(Role role, string? name = null)
    {
        var secret = NewsApi.Api.Auth.ApiKeySecrets.New();
        await Save(new ApiKey
        {
            Name = name ?? $"{role.ToString().ToLowerInvariant()}-{Interlocked.Increment(ref _counter)}", Role = role,
            Prefix = NewsApi.Api.Auth.ApiKeySecrets.Prefix(secret), Hash = NewsApi.Api.Auth.ApiKeySecrets.Hash(secret),
            CreatedAt = fixture.Clock.GetUtcNow(),
        });
        return secret;
    }

    internal async Task Save(object entity)
    {
        await using var db = fixture.NewDbContext();
        db.Add(entity);
        await db.SaveChangesAsync();
    }
}

internal sealed class ArticleBuilder(Given given, DateTimeOffset now, string slug)
{
    readonly Article _article = new()
    {
        Slug = slug,
        Title = "烏鎮峰會落幕 " + slug,
        Summary = "2023年世界互聯網大會烏鎮峰會正式落下帷幕。",
        Language = "zh-Hant",
        Status = ArticleStatus.Published,
        PublishedAt = now.AddHours(-1),
        FirstPublishedAt = now.AddHours(-1),
        CreatedAt = now.AddHours(-2),
        UpdatedAt = now.AddHours(-1),
        Dateline = new Dateline("中新網", "烏鎮", new DateOnly(2023, 11, 11), "中新網烏鎮11月11日電"),
        Byline = "張煜歡",
    };


    public ArticleBuilder Titled(string title) { _article.Title = title; return this; }
    public ArticleBuilder In(Section? section) { _article.SectionId = section?.Id; return this; }
    public ArticleBuilder WithBody(params Block[] blocks) { _article.SetBody(blocks.ToList()); return this; }
    public ArticleBuilder WithExternalId(string id) { _article.ExternalId = id; return this; }

    public ArticleBuilder PublishedAt(DateTimeOffset at)
    {
        _article.Status = ArticleStatus.Published;
        _article.PublishedAt = at;
        _article.FirstPublishedAt = at;
        _article.UpdatedAt = at;
        _article.CreatedAt = at.AddMinutes(-10);
        return this;
    }

    public ArticleBuilder UpdatedAt(DateTimeOffset at) { _article.UpdatedAt = at; return this; }

    public ArticleBuilder WithStatus(ArticleStatus status)
    {
        _article.Status = status;
        if (status is ArticleStatus.Draft or ArticleStatus.Scheduled)
            _article.PublishedAt = _article.FirstPublishedAt = null;
        if (status == ArticleStatus.Scheduled)
            _article.PublishAt = now.AddDays(1);
        // Killed after an hour in public, so it answers 410 (a kill the public never saw would be a 404).
        if (status == ArticleStatus.Killed)
            (_article.KilledAt, _article.KillReason, _article.FirstPublicAt) = (now, "Legal", _article.FirstPublishedAt);
        return this;
    }

    /// <summary>Sets whatever else a test needs on the article (SEO fields, genre, notices…).</summary>
    public ArticleBuilder With(Action<Article> change) { change(_article); return this; }
    public ArticleBuilder EmbargoedUntil(DateTimeOffset until) { _article.EmbargoUntil = until; return this; }
    public ArticleBuilder Tagged(params Tag[] tags) { _article.Tags = tags.Select((t, i) => new ArticleTag { TagId = t.Id, Position = i }).ToList(); return this; }
    public ArticleBuilder By(params Author[] authors) { _article.Authors = authors.Select((a, i) => new ArticleAuthor { AuthorId = a.Id, Position = i }).ToList(); return this; }
    public ArticleBuilder WithOldSlug(string old) { _article.OldSlugs.Add(new ArticleSlug { Slug = old, RetiredAt = now }); return this; }

    public Article Build()
    {
        if (_article.Body.Count == 0)
            _article.SetBody([Block.Paragraph("11月10日，2023年世界互聯網大會烏鎮峰會正式落下帷幕。")]);
        return _article;
    }

    public async Task<Article> Save()
    {
        var article = Build();
        await given.Save(article);
        return article;
    }
}
