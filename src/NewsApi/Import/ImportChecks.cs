using System.Security.Claims;
using FluentValidation;
using NewsApi.Articles;
using NewsApi.Content;
using NewsApi.Data.Entities;

namespace NewsApi.Import;

/// <summary>
/// What makes an import item invalid: the article content rules (the same validator as the editors' writes, its
/// reference lookups left to <see cref="ImportReferences"/>), plus what only an import may say.
/// </summary>
internal sealed class ImportChecks(IValidator<ArticleContent> validator, bool createMissing, bool mayPublish, TimeProvider clock)
{
    /// <summary>Who may publish through an import: the one place to narrow it (editors and admins may, today).</summary>
    public static bool MayPublish(ClaimsPrincipal user) => user.IsInRole(nameof(Role.Editor)) || user.IsInRole(nameof(Role.Admin));

    /// <summary>The item's errors by member; empty when it is valid.</summary>
    public async Task<Dictionary<string, string[]>> Of(ImportItem item, CancellationToken ct)
    {
        // Text XML cannot carry would fail the save (NUL) or every feed the story reaches, so the line is refused.
        if (Api.XmlChars.Errors(item) is { Count: > 0 } uncarried)
            return uncarried;
        var context = new ValidationContext<ArticleContent>(item.Content);
        context.RootContextData[ReferenceChecks.ByCaller] = true;
        var result = await validator.ValidateAsync(context, ct);
        var errors = result.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToList());
        void Add(string member, string message)
        {
            if (!errors.TryGetValue(member, out var list))
                errors[member] = list = [];
            list.Add(message);
        }

        if (string.IsNullOrWhiteSpace(item.ExternalId))
            Add("externalId", "externalId is required in an import: it is how a re-run finds the article again.");
        if (item.Status is { } status && !ImportStatuses.All.Contains(status))
            Add("status", "status must be draft, published, scheduled, archived or unpublished.");
        if (item.Status == ImportStatuses.Scheduled && item.PublishAt is null)
            Add("publishAt", "A scheduled item needs publishAt.");
        if (item.PublishAt is not null && item.Status != ImportStatuses.Scheduled)
            Add("publishAt", "publishAt goes with status scheduled.");
        if (item.Status is ImportStatuses.Published or ImportStatuses.Scheduled or ImportStatuses.Archived or ImportStatuses.Unpublished && !mayPublish)
            Add("status", "This key may not publish; import the item as a draft.");
        History(item, Add);
        if (item.Topics is { } topics && (topics.Count > ImportWriter.MaxTopics || topics.Distinct().Count() != topics.Count))
            Add("topics", $"topics may name at most {ImportWriter.MaxTopics} topics, each once.");
        if (item.Version is < 0)
            Add("version", "version must be zero or more.");
        if (createMissing)
        {
            // Whatever is created must be a usable slug (sections, tags and authors are addressed by it).
            foreach (var (member, slug) in ImportReferences.Of(item).Where(r => r.Member != "topics" && (!Slugs.Valid().IsMatch(r.Slug) || r.Slug.Length > Slugs.MaxLength)))
                Add(member, $"'{slug}' is not a slug (lowercase letters, digits and single hyphens, at most {Slugs.MaxLength}), so it cannot be created.");
        }
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    /// <summary>Older than any newspaper's archive: a default or mistyped date, not a story's time.</summary>
    static readonly DateTimeOffset Earliest = new(1800, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>An archive's times: in the past, in their order, on a story that was public, from a key that may publish.</summary>
    void History(ImportItem item, Action<string, string> add)
    {
        var now = clock.GetUtcNow();
        var times = new (string Member, DateTimeOffset? At)[] { ("publishedAt", item.PublishedAt), ("firstPublishedAt", item.FirstPublishedAt), ("updatedAt", item.UpdatedAt) };
        foreach (var (member, at) in times.Where(t => t.At is not null))
        {
            if (!mayPublish)
                add(member, $"This key may not publish, so it cannot set {member}; import the item as a draft without it.");
            else if (item.Status is not { } status || !ImportStatuses.Historic.Contains(status))
                add(member, $"{member} goes with status published, archived or unpublished (a story that went live); a future time belongs to status scheduled with publishAt.");
            else if (at < Earliest)
                add(member, $"{member} is not a plausible time (before {Earliest:yyyy-MM-dd}).");
            else if (at > now)
                add(member, member == "publishedAt" && item.Status == ImportStatuses.Published
                    ? "A published item's publishedAt cannot be in the future: send status scheduled with publishAt instead."
                    : $"{member} cannot be in the future.");
        }
        // Without publishedAt the story would go live now, after the times it says it had.
        if (item.PublishedAt is null && item.FirstPublishedAt is not null)
            add("firstPublishedAt", "firstPublishedAt goes with publishedAt.");
        if (item.PublishedAt is null && item.UpdatedAt is not null)
            add("updatedAt", "updatedAt goes with publishedAt.");
        if (item.FirstPublishedAt > item.PublishedAt)
            add("firstPublishedAt", "firstPublishedAt must be at or before publishedAt.");
        if (item.UpdatedAt < item.PublishedAt)
            add("updatedAt", "updatedAt must be at or after publishedAt.");
    }
}
