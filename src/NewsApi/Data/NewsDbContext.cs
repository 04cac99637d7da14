using Microsoft.EntityFrameworkCore;
using NewsApi.Data.Entities;

namespace NewsApi.Data;

internal sealed class NewsDbContext(DbContextOptions<NewsDbContext> options) : DbContext(options)
{
    public DbSet<Article> Articles => Set<Article>();
    public DbSet<ArticleSlug> ArticleSlugs => Set<ArticleSlug>();
    public DbSet<Section> Sections => Set<Section>();
    public DbSet<Tag> Tags => Set<Tag>();
    public DbSet<ArticleTag> ArticleTags => Set<ArticleTag>();
    public DbSet<Author> Authors => Set<Author>();
    public DbSet<ArticleAuthor> ArticleAuthors => Set<ArticleAuthor>();
    public DbSet<Topic> Topics => Set<Topic>();
    public DbSet<TopicArticle> TopicArticles => Set<TopicArticle>();
    public DbSet<FeaturedList> FeaturedLists => Set<FeaturedList>();
    public DbSet<FeaturedListEntry> FeaturedListEntries => Set<FeaturedListEntry>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<PreviewLink> PreviewLinks => Set<PreviewLink>();
    public DbSet<ArticleRevision> ArticleRevisions => Set<ArticleRevision>();
    public DbSet<ResourceRevision> ResourceRevisions => Set<ResourceRevision>();
    public DbSet<RetiredSlug> RetiredSlugs => Set<RetiredSlug>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<OutboxEvent> OutboxEvents => Set<OutboxEvent>();
    public DbSet<CacheInvalidation> CacheInvalidations => Set<CacheInvalidation>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<Webhook> Webhooks => Set<Webhook>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookDeliveryAttempt> WebhookDeliveryAttempts => Set<WebhookDeliveryAttempt>();
    public DbSet<Asset> Assets => Set<Asset>();
    public DbSet<ArticleAsset> ArticleAssets => Set<ArticleAsset>();

    protected override void OnModelCreating(ModelBuilder model) =>
        model.ApplyConfigurationsFromAssembly(typeof(NewsDbContext).Assembly);
}
