using NewsApi.Content;
using NewsApi.Data.Entities;
using NewsApi.Tests.Builders;

namespace NewsApi.Tests.Reads;

/// <summary>
/// One story put where every public surface can show it: in a section that a featured list back-fills from, with a
/// tag and an author, in a published topic, as an entry of a second featured list, with an old slug that redirects, and
/// with a word no other story has so search finds it. The surfaces it shows on are <see cref="Surfaces"/>.
/// </summary>
internal sealed record Story(Guid Id)
{
    public const string Slug = "lantern-story";
    public const string OldSlug = "old-lantern";
    public const string ExternalId = "cns-lantern-1";
    public const string Word = "琉璃燈會";
    public const string Title = Word + "點亮古城";
    public const string Text = "元宵節前夕，" + Word + "在古城南門開幕，吸引數萬市民觀賞。";
    public const string Section = "domestic";
    public const string Tag = "lanterns";
    public const string Author = "lin-hui";
    public const string Topic = "lantern-festival";
    public const string FeaturedList = "lantern-picks";
    public const string BackfilledList = "domestic-picks";

    /// <summary>Saves the story, published an hour ago unless <paramref name="state"/> says otherwise, and everything around it.</summary>
    public static async Task<Story> Place(Given given, DateTimeOffset now, Func<ArticleBuilder, ArticleBuilder>? state = null)
    {
        var section = await given.Section(Section, "國內");
        var tag = await given.Tag(Tag, "燈會");
        var author = await given.Author(Author, "林慧");
        var builder = given.Article(Slug).Titled(Title).In(section).Tagged(tag).By(author)
            .WithBody(Block.Paragraph(Text)).WithExternalId(ExternalId).WithOldSlug(OldSlug);
        var article = await (state?.Invoke(builder) ?? builder).Save();
        await given.Topic(Topic, "元宵燈會專題", TopicStatus.Published, article);
        await given.FeaturedList(FeaturedList, "燈會精選", entries: [Given.Entry(article, 1, now.AddHours(-1))]);
        await given.FeaturedList(BackfilledList, "國內新聞精選", section, maxItems: 3);
        return new Story(article.Id);
    }

    /// <summary>
    /// The story as an import would send it again, content unchanged (an import replaces every member it carries), with
    /// what the import is to change besides.
    /// </summary>
    public static object Imported(string? status = null, DateTimeOffset? publishAt = null, DateTimeOffset? embargoUntil = null) => new
    {
        externalId = ExternalId, slug = Slug, title = Title, section = Section, tags = new[] { Tag }, authors = new[] { Author },
        body = new object[] { new { type = "paragraph", text = Text } },
        status, publishAt, embargoUntil,
    };
}
