using System.Text.Json.Nodes;

namespace NewsApi.Webhooks;

/// <summary>The JSON body of every webhook request.</summary>
/// <param name="Id">The delivery id, also in NewsApi-Delivery: a receiver that sees it twice has the same delivery again (at-least-once).</param>
/// <param name="Event">The event type: article.published, article.updated, article.unpublished, article.killed, article.corrected, topic.changed, featured-list.changed, section.changed, tag.changed or author.changed.</param>
/// <param name="Subject">What the event is about: article:{id}, topic:{slug}, featured-list:{slug}, section:{slug}, tag:{slug} or author:{slug}.</param>
/// <param name="OccurredAt">When the change was committed.</param>
/// <param name="Data">The event's facts as they were then: for articles id, slug, title, status, publishedAt, updatedAt, embargoUntil (the embargo that just ended for a publish, the one that now hides the article for an unpublish, else null) and reason for a kill; for the others slug (and, for sections, tags and authors, name and change: added, modified or deleted; for tags and authors also previousSlug after a rename). featured-list.changed also comes, from the scheduler, when an entry's visibleFrom or visibleUntil passes. Article events follow what the public can read, not the status field: an embargoed publish is announced when the embargo ends, edits the public cannot see are not announced, and a kill only for a story that was once public.</param>
internal sealed record WebhookPayload(Guid Id, string Event, string Subject, DateTimeOffset OccurredAt, JsonObject Data);
