namespace NewsApi.Features;

/// <summary>
/// What <c>?at=</c> means on the article list, a topic page and a featured list, said once: with a key, the public's
/// view at a later time as the schedule stands (<see cref="Content.ArticleVisibility.PublicBySchedule"/>), so an editor
/// sees tomorrow morning's homepage with the stories scheduled for it. The public cannot look ahead.
/// </summary>
internal static class ScheduledPreview
{
    public const string NeedsKey = "at, to see the public's view at another time, needs a previewer, editor or admin key.";

    public const string Description =
        "Needs a key of any role: the public's view at this time (ISO 8601 with an offset, or a date) as the schedule stands — " +
        "published stories, those scheduled to go live by then, embargoes ended by then, scheduled takedowns done by then. " +
        "A scheduled story is placed at its publishAt. Without a key, at is a 400.";
}
