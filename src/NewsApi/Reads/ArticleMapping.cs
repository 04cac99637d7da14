using Mapster;
using NewsApi.Content;
using NewsApi.Data.Entities;

namespace NewsApi.Reads;

internal sealed class ArticleMapping : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        // Translated to SQL by ProjectToType: only summary columns leave the database for lists.
        config.NewConfig<Article, ArticleSummary>()
            .Map(d => d.ReadingTimeMinutes, s => ChineseText.ReadingMinutes(s.CharCount, ChineseText.CharactersPerMinute))
            .Map(d => d.Label, s => EditorialLabels.Sponsored(s.Genre, s.Language))
            .Ignore(d => d.Section!, d => d.Authors!, d => d.Tags!, d => d.Topics!, d => d.Body!, d => d.BodyHtml!);

        // The read model's list item: its body members are stored apart (ReadModel), so they are not copied here.
        config.NewConfig<ArticleResponse, ArticleSummary>()
            .Ignore(d => d.Body!, d => d.BodyHtml!, d => d.SectionId!, d => d.Rendered!);

        config.NewConfig<Article, ArticleResponse>()
            .Map(d => d.Section, s => s.Section == null ? null : new SectionRef(s.Section.Slug, s.Section.Name))
            .Map(d => d.Authors, s => s.Authors.OrderBy(a => a.Position).Select(a => new AuthorRef(a.Author.Slug, a.Author.Name)).ToList())
            .Map(d => d.Tags, s => s.Tags.OrderBy(t => t.Position).Select(t => new TagRef(t.Tag.Slug, t.Tag.Name)).ToList())
            .Map(d => d.Topics, s => s.Topics
                .Where(t => t.Topic.Status == TopicStatus.Published)
                .OrderBy(t => t.Topic.Title).Select(t => new TopicRef(t.Topic.Slug, t.Topic.Title)).ToList())
            .Map(d => d.ReadingTimeMinutes, s => ChineseText.ReadingMinutes(s.CharCount, ChineseText.CharactersPerMinute))
            .Map(d => d.Toc, s => BodyRenderer.Toc(s.Body))
            .Map(d => d.Label, s => EditorialLabels.Sponsored(s.Genre, s.Language))
            .Map(d => d.Corrections, s => s.Notices.Where(n => n.Type == NoticeTypes.Correction).Select(n => new Correction(n.At, n.Text)).ToList())
            .Map(d => d.BodyHtml, s => ArticleHtml.Of(s))
            .Map(d => d.Related, s => s.RelatedIds.Count == 0 ? null : s.RelatedIds);
    }
}
