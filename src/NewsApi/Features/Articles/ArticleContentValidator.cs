using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using NewsApi.Api;
using NewsApi.Articles;
using NewsApi.Content;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Features.Articles;

/// <summary>The rules of an article write; the same for create, replace, patch and (later) import.</summary>
internal sealed partial class ArticleContentValidator : AbstractValidator<ArticleContent>
{
    public const int MaxBlocks = 500;
    public const int MaxBlockText = 20_000;
    public const int MaxTags = 30;
    public const int MaxAuthors = 20;
    public const int MaxCorrections = 50;
    public const int MaxNotices = 100;

    static bool CheckReferences<T>(ValidationContext<T> context) => !context.RootContextData.ContainsKey(ReferenceChecks.ByCaller);

    public ArticleContentValidator(NewsDbContext db, NewsHtml html)
    {
        RuleFor(a => a.Title).NotEmpty().MaximumLength(300).PlainText();
        RuleFor(a => a.Slug).SlugRules();
        RuleFor(a => a.ExternalId).MaximumLength(200).SafeText().Must(e => e is null || e.Trim().Length > 0)
            .WithMessage("externalId cannot be blank.");
        RuleFor(a => a.Subtitle).MaximumLength(300).PlainText();
        RuleFor(a => a.Summary).MaximumLength(2000).PlainText();
        RuleFor(a => a.Byline).MaximumLength(200).PlainText();
        RuleFor(a => a.Source).MaximumLength(200).PlainText();
        RuleFor(a => a.Language).Cascade(CascadeMode.Stop).Must(l => l is null || Language().IsMatch(l))
            .WithMessage("language must be a BCP 47 tag such as zh-Hant, zh-Hans or en.").MaximumLength(ArticleContent.MaxLanguageLength);

        RuleFor(a => a.Body).MaxCount(MaxBlocks).WithMessage($"body may hold at most {MaxBlocks} blocks.");
        RuleForEach(a => a.Body).SetValidator(new BlockValidator(html));

        RuleFor(a => a.Dateline).SetValidator(new DatelineValidator()!).When(a => a.Dateline is not null);
        RuleFor(a => a.CoverImage).SetValidator(new ImageValidator()!).When(a => a.CoverImage is not null);
        RuleFor(a => a.Corrections).MaxCount(MaxCorrections).WithMessage($"corrections may hold at most {MaxCorrections} entries.");
        RuleForEach(a => a.Corrections).SetValidator(new CorrectionValidator());
        RuleFor(a => a.Notices).MaxCount(MaxNotices).WithMessage($"notices may hold at most {MaxNotices} entries.");
        RuleForEach(a => a.Notices).SetValidator(new NoticeValidator());

        RuleFor(a => a.SeoTitle).MaximumLength(ArticleContent.MaxSeoTitleLength).PlainText();
        RuleFor(a => a.MetaDescription).MaximumLength(ArticleContent.MaxMetaDescriptionLength).PlainText();
        RuleFor(a => a.CanonicalUrl).Cascade(CascadeMode.Stop).MaximumLength(ArticleContent.MaxUrlLength)
            .Must(u => u is null || ImageValidator.IsWebUrl(u)).WithMessage("canonicalUrl must be an absolute http(s) address.");
        RuleFor(a => a.OgImage).Cascade(CascadeMode.Stop).MaximumLength(ArticleContent.MaxUrlLength)
            .Must(u => u is null || ImageValidator.IsWebUrl(u)).WithMessage("ogImage must be an absolute http(s) address.");
        RuleFor(a => a.Keywords).MaxCount(ArticleContent.MaxKeywords).WithMessage($"keywords may hold at most {ArticleContent.MaxKeywords} entries.")
            .MaxItemLength(ArticleContent.MaxKeywordLength);
        RuleForEach(a => a.Keywords).NotEmpty().MaximumLength(ArticleContent.MaxKeywordLength).PlainText();
        RuleFor(a => a.Genre).Cascade(CascadeMode.Stop).Must(g => g is null || Genres.All.Contains(g))
            .WithMessage($"genre must be one of {string.Join(", ", Genres.All)}.").MaximumLength(20);
        RuleFor(a => a.Urgency).InclusiveBetween(1, 9).WithMessage("urgency must be a whole number from 1 (most urgent) to 9.");
        RuleFor(a => a.BreakingUntil).Null().When(a => a.Breaking != true)
            .WithMessage("breakingUntil needs breaking: true.");
        RuleFor(a => a.PaywallAfter).InclusiveBetween(0, MaxBlocks);
        RuleFor(a => a.PaywallAfter).Null().When(a => a.IsAccessibleForFree != false)
            .WithMessage("paywallAfter applies only to paid content (isAccessibleForFree: false).");

        // Images from the media library: each asset must exist. Imports ask too (assets are never created by an import,
        // and only items naming one pay for the query).
        RuleFor(a => a).CustomAsync(async (content, context, ct) =>
        {
            var ids = AssetReferences.Ids(content).ToList();
            if (ids.Count == 0)
                return;
            var found = await db.Assets.Where(x => ids.Contains(x.Id)).Select(x => x.Id).ToListAsync(ct);
            foreach (var missing in ids.Except(found))
                context.AddFailure("assetId", $"There is no asset {missing}.");
        });
        // A reference that exists is a slug, so its length never adds a second message.
        RuleFor(a => a.Section).Cascade(CascadeMode.Stop)
            .MustAsync(async (slug, ct) => slug is null || await db.Sections.AnyAsync(s => s.Slug == slug, ct))
            .WithMessage(a => $"There is no section '{a.Section}'.").MaximumLength(Slugs.MaxLength).When((_, context) => CheckReferences(context));
        RuleFor(a => a.Tags).MaxCount(MaxTags).WithMessage($"tags may name at most {MaxTags} tags.")
            .Must(Distinct).WithMessage("tags names a tag twice.")
            .CustomAsync(async (tags, context, ct) =>
            {
                if (await Missing(db.Tags.Select(t => t.Slug), tags, ct) is { } missing)
                    context.AddFailure($"There is no tag '{missing}'.");
            }).When((_, context) => CheckReferences(context), ApplyConditionTo.CurrentValidator)
            .MaxItemLength(Slugs.MaxLength);
        RuleFor(a => a.Authors).MaxCount(MaxAuthors).WithMessage($"authors may name at most {MaxAuthors} authors.")
            .Must(Distinct).WithMessage("authors names an author twice.")
            .CustomAsync(async (authors, context, ct) =>
            {
                if (await Missing(db.Authors.Select(t => t.Slug), authors, ct) is { } missing)
                    context.AddFailure($"There is no author '{missing}'.");
            }).When((_, context) => CheckReferences(context), ApplyConditionTo.CurrentValidator)
            .MaxItemLength(Slugs.MaxLength);
        RuleFor(a => a.Related).MaxCount(ArticleContent.MaxRelated).WithMessage($"related may name at most {ArticleContent.MaxRelated} articles.")
            .Must(Distinct).WithMessage("related names an article twice.")
            .CustomAsync(async (related, context, ct) =>
            {
                if (related is not { Count: > 0 })
                    return;
                var ids = related.Select(r => Guid.TryParse(r, out var id) ? id : Guid.Empty).ToList();
                var slugs = related.ToList();
                var found = await db.Articles.Where(a => ids.Contains(a.Id) || slugs.Contains(a.Slug)).Select(a => new { a.Id, a.Slug }).ToListAsync(ct);
                if (related.FirstOrDefault(r => !found.Any(a => a.Slug == r || Guid.TryParse(r, out var id) && a.Id == id)) is { } missing)
                    context.AddFailure($"There is no article '{missing}'.");
            }).When((_, context) => CheckReferences(context), ApplyConditionTo.CurrentValidator)
            .MaxItemLength(Slugs.MaxLookupLength);
    }

    static bool Distinct(IReadOnlyList<string>? slugs) => slugs is null || slugs.Distinct().Count() == slugs.Count;

    static async Task<string?> Missing(IQueryable<string> known, IReadOnlyList<string>? wanted, CancellationToken ct)
    {
        if (wanted is null || wanted.Count == 0)
            return null;
        var found = await known.Where(s => wanted.Contains(s)).ToListAsync(ct);
        return wanted.FirstOrDefault(w => !found.Contains(w));
    }

    [GeneratedRegex("^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$", RegexOptions.NonBacktracking)]
    private static partial Regex Language();
}

internal sealed class BlockValidator : AbstractValidator<Block>
{
    const int MaxTypeLength = 20;
    const int MaxItems = 200;
    public const int MaxGalleryImages = 50;

    public BlockValidator(NewsHtml html)
    {
        RuleFor(b => b.Type).Cascade(CascadeMode.Stop).Must(t => BlockTypes.All.Contains(t))
            .WithMessage($"type must be one of {string.Join(", ", BlockTypes.All)}.").MaximumLength(MaxTypeLength);
        RuleFor(b => b.Text).NotEmpty().MaximumLength(ArticleContentValidator.MaxBlockText).PlainText()
            .When(b => b.Type is BlockTypes.Paragraph or BlockTypes.Heading or BlockTypes.Quote);
        RuleFor(b => b.Level).InclusiveBetween(2, 4).When(b => b.Type == BlockTypes.Heading && b.Level is not null);
        RuleFor(b => b.Cite).MaximumLength(300).PlainText();
        RuleFor(b => b.Url).NotEmpty().Must(ImageValidator.IsWebUrl).WithMessage("url must be an absolute http(s) address.")
            .MaximumLength(ImageValidator.MaxUrlLength).When(b => b.Type == BlockTypes.Image && b.AssetId is null);
        // The same rules as the html sanitiser's for a video element and an iframe, so the rendered block is what it would keep.
        RuleFor(b => b.Url).NotEmpty().MaximumLength(ImageValidator.MaxUrlLength).Must(u => NewsHtml.VideoType(u) is not null)
            .WithMessage($"url must be the https address of a video file ({string.Join(", ", NewsHtml.VideoExtensions)}), without a port or credentials.")
            .When(b => b.Type == BlockTypes.Video);
        RuleFor(b => b.Url).NotEmpty().MaximumLength(ImageValidator.MaxUrlLength).Must(html.Embeddable)
            .WithMessage($"url must be the https address of a player on a provider this site embeds: {string.Join(", ", html.IframeHosts)} (Html:IframeHosts).")
            .When(b => b.Type == BlockTypes.Embed);
        RuleFor(b => b.Caption).MaximumLength(1000).PlainText();
        RuleFor(b => b.Credit).MaximumLength(200).PlainText();
        RuleFor(b => b.Alt).MaximumLength(1000).PlainText();
        RuleFor(b => b.Width).InclusiveBetween(1, 20_000);
        RuleFor(b => b.Height).InclusiveBetween(1, 20_000);
        RuleFor(b => b.Items).NotEmpty().MaxCount(MaxItems).WithMessage($"items may hold at most {MaxItems} entries.")
            .When(b => b.Type == BlockTypes.List);
        RuleForEach(b => b.Items).NotEmpty().MaximumLength(2000).PlainText();
        RuleFor(b => b.Images).NotEmpty().MaxCount(MaxGalleryImages).WithMessage($"images may hold at most {MaxGalleryImages} pictures.")
            .When(b => b.Type == BlockTypes.Gallery);
        RuleForEach(b => b.Images).SetValidator(new ImageValidator());
        RuleFor(b => b.Poster).SetValidator(new ImageValidator()!).When(b => b.Poster is not null);
        RuleFor(b => b.Html).NotEmpty().MaximumLength(100_000).SafeText().When(b => b.Type == BlockTypes.Html);
        RuleFor(b => b).Must(OnlyItsOwnMembers).WithName("type")
            .WithMessage(b => $"A {b.Type} block carries only {string.Join(", ", Members(b.Type))}.")
            .When(b => BlockTypes.All.Contains(b.Type));
    }

    // renditions are read-only: filled in on save, so a body read and sent back is never refused for them.
    static IEnumerable<string> Members(string type) => type switch
    {
        BlockTypes.Paragraph => ["text"],
        BlockTypes.Heading => ["text", "level"],
        BlockTypes.Quote => ["text", "cite"],
        BlockTypes.Image => ["url", "caption", "credit", "alt", "assetId", "width", "height"],
        BlockTypes.List => ["ordered", "items"],
        BlockTypes.Gallery => ["images"],
        BlockTypes.Video => ["url", "poster", "caption", "credit"],
        BlockTypes.Embed => ["url", "caption"],
        _ => ["html"],
    };

    static bool OnlyItsOwnMembers(Block b)
    {
        var used = new List<string>();
        if (b.Text is not null) used.Add("text");
        if (b.Level is not null) used.Add("level");
        if (b.Cite is not null) used.Add("cite");
        if (b.Url is not null) used.Add("url");
        if (b.Caption is not null) used.Add("caption");
        if (b.Credit is not null) used.Add("credit");
        if (b.Alt is not null) used.Add("alt");
        if (b.Ordered is not null) used.Add("ordered");
        if (b.Items is not null) used.Add("items");
        if (b.Html is not null) used.Add("html");
        if (b.AssetId is not null) used.Add("assetId");
        if (b.Width is not null) used.Add("width");
        if (b.Height is not null) used.Add("height");
        if (b.Images is not null) used.Add("images");
        if (b.Poster is not null) used.Add("poster");
        return used.All(Members(b.Type).Contains);
    }
}

internal sealed class CorrectionValidator : AbstractValidator<Correction>
{
    public CorrectionValidator() => RuleFor(c => c.Text).NotEmpty().MaximumLength(2000).PlainText();
}

internal sealed class NoticeValidator : AbstractValidator<Notice>
{
    public const int MaxTextLength = 2000;

    public NoticeValidator()
    {
        RuleFor(n => n.Type).Cascade(CascadeMode.Stop).NotEmpty().Must(t => NoticeTypes.All.Contains(t))
            .WithMessage($"type must be one of {string.Join(", ", NoticeTypes.All)}.").MaximumLength(20);
        RuleFor(n => n.Text).NotEmpty().MaximumLength(MaxTextLength).PlainText();
        RuleFor(n => n.At).Must(at => at.Year is >= 1900 and <= 2200).WithMessage("at must be a real time (ISO 8601).");
    }
}

internal sealed class DatelineValidator : AbstractValidator<Dateline>
{
    public DatelineValidator()
    {
        RuleFor(d => d.Text).NotEmpty().MaximumLength(200).PlainText();
        RuleFor(d => d.Agency).MaximumLength(100).PlainText();
        RuleFor(d => d.Place).MaximumLength(100).PlainText();
        RuleFor(d => d.Date).Must(d => d is null || d.Value.Year is >= 1900 and <= 2200).WithMessage("date must be a real calendar date.");
    }
}

internal sealed class ImageValidator : AbstractValidator<Image>
{
    public const int MaxUrlLength = 2000;

    public static bool IsWebUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp) && url!.Length <= MaxUrlLength;

    public ImageValidator()
    {
        RuleFor(i => i.Url).NotEmpty().Must(IsWebUrl).WithMessage("url must be an absolute http(s) address.")
            .MaximumLength(MaxUrlLength).When(i => i.AssetId is null);
        RuleFor(i => i.Caption).MaximumLength(1000).PlainText();
        RuleFor(i => i.Credit).MaximumLength(200).PlainText();
        RuleFor(i => i.Alt).MaximumLength(1000).PlainText();
        RuleFor(i => i.Width).InclusiveBetween(1, 20_000);
        RuleFor(i => i.Height).InclusiveBetween(1, 20_000);
    }
}
