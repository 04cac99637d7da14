using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsApi.Data.Entities;

/// <summary>
/// The kinds of resource besides articles whose changes are kept as revisions and whose old slugs keep answering.
/// The names are stored, so they never change.
/// </summary>
internal static class ResourceKinds
{
    public const string Section = "section";
    public const string Topic = "topic";
    public const string FeaturedList = "featured-list";
    public const string Tag = "tag";
    public const string Author = "author";
}

/// <summary>
/// One change to a section, topic, featured list, tag or author: who made it, when, what it did and which members
/// it touched, with the resource as its editor would write it afterwards (a topic with its articles in order, a list
/// with its entries), so any revision can be read and restored. One table for every kind: the rules are the same.
/// </summary>
internal sealed class ResourceRevision
{
    public required string Kind { get; set; }
    public Guid ResourceId { get; set; }
    public int Number { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public List<string> Fields { get; set; } = [];
    public required JsonObject Snapshot { get; set; }
}

/// <summary>A slug a section, topic, featured list, tag or author used to have; it keeps answering with a redirect to the current one.</summary>
internal sealed class RetiredSlug
{
    public required string Kind { get; set; }
    public required string Slug { get; set; }
    public Guid ResourceId { get; set; }
    public DateTimeOffset RetiredAt { get; set; }
}

internal sealed class ResourceRevisionConfiguration : IEntityTypeConfiguration<ResourceRevision>, IEntityTypeConfiguration<RetiredSlug>
{
    public void Configure(EntityTypeBuilder<ResourceRevision> r)
    {
        // (kind, resource, number) is both the identity and the read path: a resource's revisions in order. No foreign
        // key (one column points into five tables): a deleted resource's history stays, as its audit entries do.
        r.HasKey(x => new { x.Kind, x.ResourceId, x.Number });
        r.Property(x => x.Kind).HasMaxLength(20);
        r.Property(x => x.Actor).HasMaxLength(100);
        r.Property(x => x.Action).HasMaxLength(40);
        r.Property(x => x.Snapshot).HasJsonConversion();
    }

    public void Configure(EntityTypeBuilder<RetiredSlug> s)
    {
        s.HasKey(x => new { x.Kind, x.Slug });
        s.Property(x => x.Kind).HasMaxLength(20);
        s.Property(x => x.Slug).HasMaxLength(Content.Slugs.MaxLookupLength);
        s.HasIndex(x => new { x.Kind, x.ResourceId });
    }
}
