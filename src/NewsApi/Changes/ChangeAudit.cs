using NewsApi.Api;
using NewsApi.Data;
using NewsApi.Data.Entities;

namespace NewsApi.Changes;

/// <summary>
/// Audit entries of changes besides a request's own (which <see cref="AuditLog"/> writes): what the scheduler does, an
/// import's items, and a resource that a write to something else changed (a delete taking a tag off an article, a kill
/// taking an article out of a topic). Each at the changed resource's address, so who changed it is found there, and
/// staged on the write's context so that a change and its entry are saved, or rolled back, together.
/// </summary>
internal static class ChangeAudit
{
    public static AuditEntry Entry(DateTimeOffset at, string actor, string action, string target) => new()
    {
        At = at, Actor = actor, Action = action, Target = target, Status = StatusCodes.Status200OK, Outcome = "succeeded",
    };

    /// <summary>Stages the entry of a change to the resource at <paramref name="target"/>.</summary>
    public static void Add(NewsDbContext db, DateTimeOffset at, string actor, string action, string target) =>
        db.AuditEntries.Add(Entry(at, actor, action, target));

    /// <summary>The address of a section, topic, featured list, tag or author (<see cref="ResourceKinds"/>).</summary>
    public static string Address(string kind, string slug) => $"{ApiRoutes.Prefix}/{kind}s/{slug}";

    public static string Article(Guid id) => $"{ApiRoutes.Prefix}/articles/{id}";
}
